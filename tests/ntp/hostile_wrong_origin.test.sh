#!/usr/bin/env bash
# A reply whose origin timestamp is not our nonce is ignored (RFC 5905 TEST2).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected wrong_origin "RFC 5905 §8 TEST2 (bogus): a reply's originate timestamp must echo our request's transmit nonce"
