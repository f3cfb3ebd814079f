#!/usr/bin/env bash
# Lab: a busy /dev/rtc0, a user who is not root, and a dead CMOS battery
# (stopped divider, impossible fields) give clear, bounded errors from both
# drivers; a set revives the clock (see scenarios/errors.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
lab_boot "$(lab_scenario errors.sh)"
