// The MC146818 CMOS clock as an RtcDevice, over an abstract pair of ports
// (index 0x70, data 0x71). The real ports come from rtc/cmos_x86.cc (ioperm);
// the unit tests drive the same logic with an in-memory chip.
//
// What the driver does, as the datasheet and Linux's mc146818-lib do it:
// - read: check VRT (battery) and that the clock runs, wait until UIP is
//   clear, read all fields, re-read the seconds and repeat if they changed;
// - set: SET bit on, divider reset, write all fields, restore register B
//   (SET off) then start the divider: the first update follows 500 ms later
//   (on AMD/Hygon, DV0 is a bank select: reset with DV2 DV1 only, DV0 clear);
// - edge: watch for the seconds register to change.
// Every wait is bounded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "rtc/rtc_device.h"

namespace rtcal {

// Access to the CMOS registers: select `reg` on the index port, then read or
// write the data port.
class CmosPorts {
 public:
  virtual ~CmosPorts() = default;
  virtual uint8_t read(uint8_t reg) = 0;
  virtual void write(uint8_t reg, uint8_t value) = 0;
};

// Bounds on the driver's waits (a test may shorten them).
struct CmosTiming {
  Nanos poll_interval{std::chrono::microseconds(200)};  // between polls of UIP / seconds
  Nanos uip_timeout{std::chrono::milliseconds(20)};     // UIP is high for ~2 ms at most
  int read_attempts = 10;                                // re-reads when the seconds moved
  // AMD/Hygon register A: DV0 is the bank select, so the set resets the
  // divider with 110 and leaves DV0 clear (as Linux's rtc_cmos keeps it).
  bool amd_register_a = false;
};

// The CMOS clock as an RtcDevice, owning its ports.
std::unique_ptr<RtcDevice> make_cmos_rtc(std::unique_ptr<CmosPorts> ports, CmosTiming timing = {});

}  // namespace rtcal
