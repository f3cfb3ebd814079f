#!/usr/bin/env bash
# LI 3 (unsynchronised) is refused (RFC 5905 §7.3).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected li3 "leap indicator 3 means the server is not synchronised; got leap indicator 3"
