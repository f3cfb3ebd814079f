#!/usr/bin/env bash
# Lab: `rtcal set --from-ntp` in a guest whose clock and RTC are hours wrong,
# against a real chronyd (-x, its clock right) on this machine's loopback,
# reached as 10.0.2.2 (see scenarios/ntp_set.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
. "$RTCAL_SOURCE_DIR/tests/ntp/chronyd_lib.sh"
start_chronyd 0
lab_boot --net --base "$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:%S)" --env "LAB_NTP_PORT=$CPORT" "$(lab_scenario ntp_set.sh)"
