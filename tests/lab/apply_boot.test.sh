#!/usr/bin/env bash
# Lab: `rtcal apply` at boot after five days of staged drift leaves the
# guest's system clock right (checked against a real chronyd -x on this
# machine's loopback, reached as 10.0.2.2), the RTC corrected, and a second
# run changes nothing (see scenarios/apply_boot.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
. "$RTCAL_SOURCE_DIR/tests/ntp/chronyd_lib.sh"
start_chronyd 0
lab_boot --net --env "LAB_NTP_PORT=$CPORT" "$(lab_scenario apply_boot.sh)"
