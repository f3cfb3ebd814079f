#!/usr/bin/env bash
# A full disk and a read-only /etc, in a private mount namespace (unshare -m:
# the mounts vanish with it): a tiny full tmpfs and a read-only bind mount
# hold the adjtime file and the log. Each command that writes must fail with
# a clear error (exit 1), leave the old file byte for byte, and a set command
# must say what it did and did not change.
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root for a private mount namespace"
command -v unshare >/dev/null || skip "unshare (util-linux) makes the private mounts"
unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"

export RTCAL T RTCAL_FORBID_REAL_CLOCK
unshare -m --propagation private bash "$(dirname "$0")/disk_inner.sh"
