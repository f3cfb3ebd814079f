#!/usr/bin/env bash
# A reply from another port is ignored (RFC 4330 §5).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected other_port "a reply must come from the address and port the request went to; got from 127.0.0.1:"
