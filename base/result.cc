// The one out-of-line helper of the error values (see result.h).
#include "base/result.h"

#include <cstring>
#include <type_traits>

namespace rtcal {

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns the message (maybe not in buf); XSI returns an int.
  auto result = strerror_r(err, buf, sizeof buf);
  if constexpr (std::is_same_v<decltype(result), char*>) {
    return result;
  } else {
    return result == 0 ? std::string(buf) : "error " + std::to_string(err);
  }
}

}  // namespace rtcal
