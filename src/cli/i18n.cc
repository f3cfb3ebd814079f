// Messages in the user's language (see i18n.h).
#include "src/cli/i18n.h"

#include <libintl.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#ifndef RTCAL_LOCALEDIR
#define RTCAL_LOCALEDIR "/usr/share/locale"
#endif

namespace rtcal::i18n {
namespace {

constexpr const char* kDomain = "rtcal";

// Where the catalogs are: see init().
std::string catalog_dir() {
  if (const char* dir = std::getenv("RTCAL_LOCALEDIR"); dir != nullptr && *dir != '\0') return dir;
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path beside = exe.parent_path().parent_path() / "share" / "locale";
    if (std::filesystem::is_directory(beside, ec)) return beside.string();
  }
  return RTCAL_LOCALEDIR;
}

}  // namespace

void init() {
  // Not LC_ALL: LC_NUMERIC and LC_TIME would change numbers and dates.
  std::setlocale(LC_MESSAGES, "");
  std::setlocale(LC_CTYPE, "");
  bindtextdomain(kDomain, catalog_dir().c_str());
  bind_textdomain_codeset(kDomain, "UTF-8");
  textdomain(kDomain);
}

// gettext("") would be the catalog's header: an empty message stays empty.
const char* translate(const char* msgid) { return *msgid == '\0' ? msgid : dgettext(kDomain, msgid); }

const char* plural(const char* one, const char* many, unsigned long n) { return dngettext(kDomain, one, many, n); }

std::string format_texts(std::string_view pattern, const std::string_view* args, int count) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (c == '{' && i + 2 < pattern.size() && pattern[i + 1] >= '1' && pattern[i + 1] <= '9' &&
               pattern[i + 2] == '}' && pattern[i + 1] - '0' <= count) {
      out += args[pattern[i + 1] - '1'];
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace rtcal::i18n
