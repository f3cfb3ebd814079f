// The RTC chip's own rate trim ("offset" in Linux): a register that adds or
// removes oscillator ticks, so the RTC itself runs at a corrected rate and
// keeps time while the machine is off, with no software correction at boot.
//
// Linux's convention (drivers/rtc/class.c, dev.c; Documentation/ABI/testing/
// sysfs-class-rtc "offset"): the offset is in parts per billion, signed; a
// positive offset removes ticks, so the RTC runs slower (a day takes longer).
// rtcal's drift rate is + = the RTC gains, so an offset of +1000 ppb changes
// the rate by -1 ppm. A chip (or driver) that does the opposite has sign -1:
// `rtcal trim --check-sign` measures it, `--invert-sign` uses it.
//
// Access: the RTC_PARAM_GET/SET ioctl with RTC_PARAM_CORRECTION (Linux 5.16
// and later; the kernel maps it to the driver's read_offset/set_offset and
// sets the feature bit RTC_FEATURE_CORRECTION when set_offset exists), or
// /sys/class/rtc/rtcN/offset on older kernels. The pure part (the driver
// table, quantization, the rate arithmetic) has no device and no file.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "rtc/rtc_device.h"

namespace rtcal::trim {

inline constexpr uint64_t kParamFeatures = 0;      // RTC_PARAM_FEATURES
inline constexpr uint64_t kParamCorrection = 1;    // RTC_PARAM_CORRECTION
inline constexpr uint64_t kFeatureCorrection = 5;  // RTC_FEATURE_CORRECTION (a bit of the features word)

// What a kernel driver does with an offset, as read from its source.
struct TrimDriver {
  std::string_view name;      // the driver without its "rtc-" prefix: "pcf8523"
  long step_ppt[2] = {0, 0};  // parts per trillion per register step, one or two modes (0: none)
  int min_steps = 0;          // the register's range, in steps (the same in both modes)
  int max_steps = 0;
  bool clamps = true;         // true: out-of-range is clamped; false: the driver returns ERANGE
  bool eeprom = false;        // the driver writes the value to EEPROM (wear: write only on change)
  bool truncates = false;     // the driver divides toward zero instead of rounding
  int sign = +1;              // +1: Linux's convention; -1: the chip runs faster for a positive offset
  std::string_view source;    // where the figures come from
};

// The range of offsets a driver takes without clamping, in ppb (rounded as
// the drivers round it: rv3028 -244141..243187).
long min_ppb(const TrimDriver& driver);
long max_ppb(const TrimDriver& driver);

// The table (rtc/trim.cc). Chips whose drivers have no offset are listed
// with step 0, so `rtcal trim` can say so by name.
std::span<const TrimDriver> trim_drivers();

// The entry for a driver name as /sys/class/rtc/rtcN/name or the RTC's
// driver() gives it ("rtc-pcf8523 1-0068", "pcf8523"), or nullptr.
const TrimDriver* find_trim_driver(std::string_view driver_name);

// What the driver would store for a requested offset.
struct Quantized {
  long offset_ppb = 0;   // the value read back afterwards
  bool clamped = false;  // the request was beyond the range and was clamped
  bool refused = false;  // beyond the range and the driver returns ERANGE
};
Quantized quantize(const TrimDriver& driver, long requested_ppb);

// The same for a register of one step and a symmetric range (the simulator).
Quantized quantize_simple(long step_ppb, long range_ppb, bool clamps, long requested_ppb);

// The RTC's rate change, in ppm (+ = gains), that an offset causes.
double rate_effect_ppm(long offset_ppb, int sign);

// The offset that cancels a measured drift of `rate_ppm` (+ = gains) on an
// RTC now trimmed by `current_ppb`: current + sign * rate * 1000, rounded.
long offset_cancelling_ppb(long current_ppb, double rate_ppm, int sign);

// /sys/class/rtc/rtcN/offset for an RTC device path ("/dev/rtc0"; a
// symlink such as /dev/rtc is resolved), or "" when it names no rtcN.
std::string sysfs_offset_path(const std::string& device_path);

// Read a sysfs offset file (a signed decimal number of ppb).
Result<long> read_sysfs_offset(const std::string& path);

// How the current offset was reached.
enum class Access { ioctl, sysfs };

// The RTC's features word says it has the correction parameter. Errors
// when the kernel has no RTC_PARAM_GET (before 5.16) or the RTC no params.
Result<bool> has_correction_feature(RtcDevice& rtc);

// The current offset: RTC_PARAM_GET, else the sysfs file (when `sysfs` is
// not empty and exists). The error names both ways when neither works.
struct Reading {
  long offset_ppb = 0;
  Access access = Access::ioctl;
};
Result<Reading> read_offset(RtcDevice& rtc, const std::string& sysfs);

// Write an offset the same way (RTC_PARAM_SET, else the sysfs file). ERANGE
// from the driver comes back as an error that names the range when known.
Status write_offset(RtcDevice& rtc, const std::string& sysfs, long offset_ppb);

}  // namespace rtcal::trim
