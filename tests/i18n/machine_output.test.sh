#!/usr/bin/env bash
# What machines read stays English and byte-identical in every language:
# --json, the hwclock/clock drop-in (boot scripts parse it; util-linux's
# hwclock is English there too unless translated, and scripts grep it), the
# completion scripts, and the files rtcal writes (measurement log, adjtime).
# Each command runs from the same simulated world in English and in Korean
# (LANGUAGE=ko, LC_ALL=ko_KR.UTF-8) and, for the numbers, in German; stdout,
# stderr and the files must be equal byte for byte.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/locales.sh"
command -v jq >/dev/null || skip "jq is needed"
export TZ=UTC

W=$T/w.json A=$T/adjtime L=$T/log.jsonl
ln -s "$RTCAL" "$T/hwclock"
ln -s "$RTCAL" "$T/clock"
"$RTCAL" sim init "$W" --at 1795427168 --edge-latency 0 --offset 3 --rate-ppm 50 >/dev/null
"$RTCAL" --rtc "sim:$W" --adjfile "$A" --utc systohc >/dev/null
for d in 0 2d 3d; do
  [ "$d" = 0 ] || "$RTCAL" sim advance "$W" "$d" >/dev/null
  "$RTCAL" --rtc "sim:$W" --log "$L" --noadjfile --utc measure --system-error 0 --sigma 0.002 >/dev/null
done
for f in "$W" "$A" "$L"; do cp "$f" "$f.orig"; done

# same LABEL CMD...: CMD from the same world in English, Korean and German;
# stdout, stderr, exit code and the three files must be identical (with
# FILES_ONLY=1: the exit code and the files; for text output, which may be translated).
same() {
  local label=$1; shift
  local lang
  for lang in C ko_KR de_DE; do
    for f in "$W" "$A" "$L"; do cp "$f.orig" "$f"; done
    local code=0
    if [ "$lang" = ko_KR ]; then
      LANGUAGE=ko in_lang "$lang" "$@" >"$T/out.$lang" 2>"$T/err.$lang" || code=$?
    else
      in_lang "$lang" "$@" >"$T/out.$lang" 2>"$T/err.$lang" || code=$?
    fi
    # -v's timing notes ("read done 2 ms after the process started") vary
    # from run to run, not with the language: their numbers are masked.
    sed -i -E 's/[0-9]+ ms after the process started/N ms after the process started/g' "$T/err.$lang"
    echo "$code" >"$T/code.$lang"
    cat "$W" "$A" "$L" >"$T/files.$lang"
  done
  for lang in ko_KR de_DE; do
    local whats="out err code files"
    [ "${FILES_ONLY:-0}" = 1 ] && whats="code files"
    for what in $whats; do
      cmp -s "$T/$what.C" "$T/$what.$lang" || {
        diff "$T/$what.C" "$T/$what.$lang" | head -20
        fail "$label: $what differs between English and $lang"
      }
    done
  done
  echo "same in English, Korean and German: $label"
}
sim=(--rtc "sim:$W" --adjfile "$A" --log "$L")
same "status --json" "$RTCAL" "${sim[@]}" --json status
same "drift --json" "$RTCAL" "${sim[@]}" --json drift
same "show --json" "$RTCAL" "${sim[@]}" --json show
same "measure --json (and the log record)" "$RTCAL" "${sim[@]}" --json measure --system-error 0.1 --sigma 0.01
FILES_ONLY=1 same "measure (the log record)" "$RTCAL" "${sim[@]}" measure --system-error 0.1 --sigma 0.01
same "drift --write --json (and adjtime)" "$RTCAL" "${sim[@]}" --json drift --write
FILES_ONLY=1 same "drift --write (adjtime)" "$RTCAL" "${sim[@]}" drift --write
FILES_ONLY=1 same "systohc (adjtime, log)" "$RTCAL" "${sim[@]}" systohc
same "completion bash" "$RTCAL" completion bash
same "completion zsh" "$RTCAL" completion zsh
export RTCAL_RTC="sim:$W" RTCAL_ADJFILE=$A RTCAL_LOG=$L
same "hwclock -r" "$T/hwclock" -r
same "hwclock --verbose --show" "$T/hwclock" --verbose --show
same "hwclock --systohc --test" "$T/hwclock" --systohc --test
same "hwclock --hctosys" "$T/hwclock" --hctosys
same "hwclock --help" "$T/hwclock" --help
same "hwclock bad option" "$T/hwclock" --no-such-option
same "hwclock --noadjfile (error)" "$T/hwclock" --noadjfile -r
same "clock -r" "$T/clock" -r
# and the Korean run really was in Korean: a text command differs
LANGUAGE=ko in_lang ko_KR "$RTCAL" "${sim[@]}" status >"$T/ko.txt"
expect_contains "측정 기록" "$T/ko.txt"
