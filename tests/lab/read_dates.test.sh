#!/usr/bin/env bash
# Lab: both RTC drivers read a real rtc_cmos / MC146818 at awkward dates and
# follow it across the century, leap day, 2038 and 2100 rolls (see
# scenarios/read_dates.sh). One guest boot per -rtc base date.
# (2099 is set inside the guest: QEMU 7.2 wraps -rtc base past 2038.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
for base in 1999-12-31T23:59:58 2000-02-29T23:59:58 2038-01-19T03:14:05; do
  lab_boot --base "$base" "$(lab_scenario read_dates.sh)"
done
# QEMU's default (i440fx) machine has an ACPI FADT of revision 1, whose
# century field the kernel ignores: rtc_cmos then windows the year and
# refuses dates after 2069. q35's FADT names the century register 0x32.
lab_boot --machine q35 --base 2099-12-31T23:59:59 "$(lab_scenario read_dates.sh)"
