#!/usr/bin/env bash
# A server that transmits before it receives is refused (RFC 5905 §8).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected transmit_before_receive "the server must receive (T2) before it transmits (T3); got T3 is 0.5"
