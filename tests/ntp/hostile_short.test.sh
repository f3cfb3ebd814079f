#!/usr/bin/env bash
# A reply shorter than 48 bytes is refused (RFC 5905 §7.3).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected short "a reply must be at least 48 bytes; got 40 bytes"
