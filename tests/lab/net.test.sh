#!/usr/bin/env bash
# Lab: the guest's network (virtio-net modules, QEMU user networking) reaches
# a server of this test on 127.0.0.1, as a later NTP test will (see
# scenarios/net.sh). Only loopback: the server binds 127.0.0.1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lab-lib.sh"
command -v python3 >/dev/null || skip "python3 is missing (tests/install-deps.sh installs it)"
token="lab-$RANDOM-$RANDOM"
mkdir -p "$T/www"
echo "$token" >"$T/www/token"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$port" >"$T/http.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$T"' EXIT
lab_boot --net --env "LAB_HTTP_PORT=$port" --env "LAB_TOKEN=$token" "$(lab_scenario net.sh)"
grep -q 'GET /token' "$T/http.log" || fail "the server on 127.0.0.1:$port saw no request"
