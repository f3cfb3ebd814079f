#!/usr/bin/env bash
# Root distance over 1 s is refused (RFC 5905 §11.2 MAXDIST).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected root_distance "RFC 5905 §11.2 (MAXDIST 1 s): root distance (root delay/2 + root dispersion + delay/2) must be at most 1 s; got root distance 1.20"
