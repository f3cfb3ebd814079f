#!/usr/bin/env bash
# A reply with transmit timestamp 0 is ignored (RFC 4330 §5).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected zero_transmit "RFC 4330 §5: a reply's transmit timestamp must not be 0; got transmit timestamp is 0"
