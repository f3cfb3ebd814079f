// The trim driver table, its quantization and the access to a kernel RTC's
// offset (see rtc/trim.h).
#include "rtc/trim.h"

#include <cerrno>
#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>

namespace rtcal::trim {
namespace {

// Every figure was read from the Linux driver's read_offset/set_offset
// (drivers/rtc/rtc-NAME.c), found with the code search of public sources.
// Linux's sign (Documentation/ABI/testing/sysfs-class-rtc, "offset"): +
// slows the RTC; every driver below passes the number through with that
// sign (the PCF8523 datasheet: "a positive offset makes the clock slower").
constexpr TrimDriver kDrivers[] = {
    // Two modes: 4340 ppb per step (every 2 h) and 4069 (every minute); a 7-bit
    // signed register (-64..63); set_offset picks the closer mode and clamps.
    {"pcf8523", {4340000, 4069000}, -64, 63, true, false, false, +1,
     "rtc-pcf8523.c: *offset = (mode ? 4069 : 4340) * val; clamp(DIV_ROUND_CLOSEST(offset, step), -64, 63)"},
    // The same two steps, but beyond mode 0's range is -ERANGE, not clamped.
    {"pcf85063", {4340000, 4069000}, -64, 63, false, false, false, +1,
     "rtc-pcf85063.c: PCF85063_OFFSET_STEP0 4340, STEP1 4069; offset > STEP0 * 63 returns -ERANGE"},
    // 953.674 ppb per step, 9 bits; the value lives in EEPROM (set_offset
    // runs an EEPROM update each time): write it only when it changes.
    {"rv3028", {953674, 0}, -256, 255, true, true, false, +1,
     "rtc-rv3028.c: OFFSET_STEP_PPT 953674; clamp(offset, -244141L, 243187L); rv3028_update_eeprom"},
    // 238.419 ppb per step, 6 bits, also through the EEPROM configuration.
    {"rv3032", {238419, 0}, -32, 31, true, true, false, +1,
     "rtc-rv3032.c: OFFSET_STEP_PPT 238419; clamp(offset, -7629L, 7391L); rv3032_update_cfg"},
    // 3050 ppb per step, -62..62, clamped, divided toward zero; the register
    // counts the other way, which the driver hides (it encodes the sign).
    {"rx8025", {3050000, 0}, -62, 62, true, false, true, +1,
     "rtc-rx8025.c: RX8025_ADJ_RESOLUTION 3050 /* in ppb */, DATA_MAX 62, DATA_MIN -62; offset /= RESOLUTION"},
    // No read_offset/set_offset in these drivers' sources as searched: the
    // M41T8x calibration register is not exposed as an offset, the DS1307
    // and the MC146818 have none. rtcal says so by name instead of trying.
    {"m41t80", {0, 0}, 0, 0, true, false, false, +1, "rtc-m41t80.c: no set_offset found"},
    {"ds1307", {0, 0}, 0, 0, true, false, false, +1, "rtc-ds1307.c: no set_offset found"},
    {"cmos", {0, 0}, 0, 0, true, false, false, +1, "rtc-cmos.c (rtc_cmos): the MC146818 has no trim"},
};

// a / b rounded to the nearest (DIV_ROUND_CLOSEST) or toward zero.
long divide(long a, long b, bool truncate) {
  if (truncate) return a / b;
  return std::lround(static_cast<double>(a) / static_cast<double>(b));
}

// steps * step_ppt in ppb, rounded (the drivers' read_offset).
long ppb_of(long steps, long step_ppt) { return divide(steps * step_ppt, 1000, false); }

}  // namespace

std::span<const TrimDriver> trim_drivers() { return kDrivers; }

const TrimDriver* find_trim_driver(std::string_view name) {
  name = name.substr(0, name.find(' '));
  for (std::string_view prefix : {"rtc-", "rtc_"})
    if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
  for (const auto& d : kDrivers)
    if (d.name == name) return &d;
  return nullptr;
}

long min_ppb(const TrimDriver& d) { return ppb_of(d.min_steps, d.step_ppt[0]); }
long max_ppb(const TrimDriver& d) { return ppb_of(d.max_steps, d.step_ppt[0]); }

Quantized quantize(const TrimDriver& d, long requested) {
  Quantized q;
  if (d.step_ppt[0] == 0) return q;
  if (requested < min_ppb(d) || requested > max_ppb(d)) {
    if (!d.clamps) {
      q.refused = true;
      return q;
    }
    q.clamped = true;
    requested = std::clamp(requested, min_ppb(d), max_ppb(d));
  }
  long best = 0;
  bool first = true;
  for (const long step : d.step_ppt) {
    if (step == 0) continue;
    const long steps = std::clamp<long>(divide(requested * 1000, step, d.truncates), d.min_steps, d.max_steps);
    const long value = ppb_of(steps, step);
    if (first || std::labs(value - requested) <= std::labs(best - requested)) best = value;  // ties: the finer mode
    first = false;
  }
  q.offset_ppb = best;
  return q;
}

Quantized quantize_simple(long step, long range, bool clamps, long requested) {
  Quantized q;
  if (step <= 0) return q;
  if (std::labs(requested) > range) {
    if (!clamps) {
      q.refused = true;
      return q;
    }
    q.clamped = true;
    requested = std::clamp(requested, -range, range);
  }
  const long max_steps = range / step;
  q.offset_ppb = std::clamp(divide(requested, step, false), -max_steps, max_steps) * step;
  return q;
}

double rate_effect_ppm(long offset_ppb, int sign) { return -sign * static_cast<double>(offset_ppb) / 1000.0; }

long offset_cancelling_ppb(long current_ppb, double rate_ppm, int sign) {
  const double target = static_cast<double>(current_ppb) + sign * rate_ppm * 1000.0;
  const double limit = static_cast<double>(std::numeric_limits<int32_t>::max());
  return std::lround(std::clamp(target, -limit, limit));
}

std::string sysfs_offset_path(const std::string& device_path) {
  std::error_code ec;
  const auto real = std::filesystem::canonical(device_path, ec);
  const std::string leaf = ec ? std::filesystem::path(device_path).filename().string() : real.filename().string();
  if (!leaf.starts_with("rtc") || leaf.size() < 4 || leaf.find_first_not_of("0123456789", 3) != std::string::npos) return "";
  return "/sys/class/rtc/" + leaf + "/offset";
}

Result<long> read_sysfs_offset(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text)) {
    return failure(path, "cannot read: " + errno_text(errno ? errno : EIO), "the driver has no offset, or run as root");
  }
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || errno != 0) return failure(path, "holds '" + text + "', not a number of ppb", "check the driver");
  return v;
}

Result<bool> has_correction_feature(RtcDevice& rtc) {
  auto features = rtc.get_param(kParamFeatures);
  if (!features) return features.error();
  return ((*features >> kFeatureCorrection) & 1U) != 0;
}

Result<Reading> read_offset(RtcDevice& rtc, const std::string& sysfs) {
  auto param = rtc.get_param(kParamCorrection);
  if (param) return Reading{static_cast<long>(static_cast<int64_t>(*param)), Access::ioctl};
  std::error_code ec;
  if (sysfs.empty() || !std::filesystem::exists(sysfs, ec)) return param.error();
  auto file = read_sysfs_offset(sysfs);
  if (!file) return file.error();
  return Reading{*file, Access::sysfs};
}

Status write_offset(RtcDevice& rtc, const std::string& sysfs, long offset_ppb) {
  Status set = rtc.set_param(kParamCorrection, static_cast<uint64_t>(static_cast<int64_t>(offset_ppb)));
  if (set) return set;
  std::error_code ec;
  if (sysfs.empty() || !std::filesystem::exists(sysfs, ec)) return set;
  std::ofstream out(sysfs);
  out << offset_ppb << '\n';
  out.flush();
  if (!out) {
    return failure(sysfs, "cannot write " + std::to_string(offset_ppb) + ": " + errno_text(errno ? errno : EIO),
                   "run as root; ERANGE means beyond what the chip holds");
  }
  return Status::success();
}

}  // namespace rtcal::trim
