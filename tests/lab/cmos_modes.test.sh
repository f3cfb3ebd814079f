#!/usr/bin/env bash
# Lab: rtcal's direct CMOS driver in BCD and binary, 12 h and 24 h modes,
# checked against QEMU's MC146818 registers (see scenarios/cmos_modes.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
lab_boot --base 2021-03-04T00:00:30 "$(lab_scenario cmos_modes.sh)"
