#!/usr/bin/env bash
# rtcal --version: "rtcal X.Y.Z" first, then the build's details; and the
# build date is reproducible: SOURCE_DATE_EPOCH decides it, and two
# configurations of the same tree write the same build_info.cc.
. "$(dirname "$0")/../lib.sh"

expect_code 0 "$RTCAL" --version
version=$(sed -n 's/^project(rtcal VERSION \([0-9.]*\).*/\1/p' "$RTCAL_SOURCE_DIR/CMakeLists.txt")
[ "$(head -1 "$T/out")" = "rtcal $version" ] || fail "first line: $(head -1 "$T/out") (CMakeLists.txt: $version)"
for key in "compiler: " "build type: " "git commit: " "CMOS port I/O (--directisa): " "sanitizers: " "linkage: " "build date: "; do
  grep -q "^$key." "$T/out" || fail "--version lacks '$key': $(cat "$T/out")"
done
grep -Eq '^build date: [0-9]{4}-[0-9]{2}-[0-9]{2}$' "$T/out" || fail "build date: $(cat "$T/out")"
case $(uname -m) in
  x86_64 | i?86) expect_contains "CMOS port I/O (--directisa): yes" "$T/out" ;;
  *) expect_contains "CMOS port I/O (--directisa): no" "$T/out" ;;
esac
if git -C "$RTCAL_SOURCE_DIR" rev-parse HEAD >/dev/null 2>&1; then
  grep -Eq '^git commit: [0-9a-f]{12}(-dirty)?$' "$T/out" || fail "git commit: $(cat "$T/out")"
fi

# The date's sources, by running cmake/BuildInfo.cmake on its own.
info() {
  (cd "$RTCAL_SOURCE_DIR" && cmake -DRTCAL_BUILD_INFO_SOURCE="$T/$1" -P cmake/BuildInfo.cmake) >/dev/null
  grep -Eo '"[0-9]{4}-[0-9]{2}-[0-9]{2}"' "$T/$1" | tr -d '"'
}
[ "$(SOURCE_DATE_EPOCH=0 info a.cc)" = 1970-01-01 ] || fail "SOURCE_DATE_EPOCH=0: $(cat "$T/a.cc")"
[ "$(SOURCE_DATE_EPOCH=1795427168 info b.cc)" = 2026-11-23 ] || fail "SOURCE_DATE_EPOCH=1795427168: $(cat "$T/b.cc")"
unset SOURCE_DATE_EPOCH
info c.cc >/dev/null; sleep 1; info d.cc >/dev/null
cmp -s "$T/c.cc" "$T/d.cc" || fail "two configurations differ: $(diff "$T/c.cc" "$T/d.cc")"
if git -C "$RTCAL_SOURCE_DIR" rev-parse HEAD >/dev/null 2>&1; then
  commit_day=$(TZ=UTC git -C "$RTCAL_SOURCE_DIR" log -1 --date=format-local:%Y-%m-%d --format=%cd)
  [ "$(info e.cc)" = "$commit_day" ] || fail "without SOURCE_DATE_EPOCH the date is not the commit's ($commit_day)"
fi
echo "version: $(head -1 "$T/out"), build details present, build date reproducible"
