#!/usr/bin/env bash
# Lab: the Quick start's main job (status, show, systohc, show) runs in the
# guest and leaves the RTC on the system clock's edge (scenarios/demo.sh).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
lab_boot "$(lab_scenario demo.sh)"
