#!/usr/bin/env bash
# KoD RSTR: stop asking at once (RFC 5905 §7.4).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected kod_rstr "kiss code 'RSTR' (stop asking this server"
