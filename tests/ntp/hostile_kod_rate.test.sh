#!/usr/bin/env bash
# KoD RATE: back off (RFC 5905 §7.4).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected kod_rate "(Kiss-o'-Death RATE): the server asks us to slow down; got stratum 0, kiss code 'RATE' (wait at least a minute"
