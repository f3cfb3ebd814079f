#!/usr/bin/env bash
# KoD DENY: stop asking at once (RFC 5905 §7.4).
. "$(dirname "$0")/hostile_lib.sh"
expect_rejected kod_deny "refused by the server: RFC 5905 §7.4 (Kiss-o'-Death DENY/RSTR): the server refuses us; got stratum 0, kiss code 'DENY' (stop asking this server"
[ "$(grep -c "reply ignored" "$T/err" || true)" = 0 ] || fail "DENY must end the query, not be retried"
