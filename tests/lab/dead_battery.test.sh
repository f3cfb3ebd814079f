#!/usr/bin/env bash
# Lab: a dead CMOS battery (stopped divider, impossible fields) gives clear,
# bounded errors from both drivers, and a set revives the clock (see
# scenarios/dead_battery.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
lab_boot "$(lab_scenario dead_battery.sh)"
