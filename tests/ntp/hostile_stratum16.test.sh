#!/usr/bin/env bash
# Stratum 16 means unsynchronised (RFC 5905 §7.3).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected stratum16 "stratum must be 1-15 (16 = unsynchronised); got stratum 16"
