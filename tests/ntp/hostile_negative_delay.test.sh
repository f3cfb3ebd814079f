#!/usr/bin/env bash
# A reply giving a negative delay is refused (RFC 5905 §8).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected negative_delay "the round-trip delay must not be negative; got delay -0.49"
