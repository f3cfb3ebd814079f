#!/usr/bin/env bash
# Version 5 is refused (RFC 4330 §5).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected version5 "a reply must have version 1-4; got version 5, not 1-4"
