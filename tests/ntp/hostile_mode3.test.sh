#!/usr/bin/env bash
# A mode-3 reply is not a server answer (RFC 4330 §5).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected mode3 "a reply must have mode 4 (server); got mode 3, not 4 (server)"
