#!/usr/bin/env bash
# Stratum 0 without a kiss code carries no time (RFC 5905 §7.4).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected stratum0 "a stratum-0 reply carries no time; got stratum 0, kiss code '0.0.0.0'"
