#!/usr/bin/env bash
# rtcal speaks Korean and Chinese (po/ko.po, po/zh_CN.po): `status`, `drift`,
# an error, an option error's hint and --help, chosen by LC_ALL, LC_MESSAGES,
# LANG or LANGUAGE (gettext's order); numbers and dates stay as in English
# (LC_NUMERIC and LC_TIME are never switched: a German locale's comma does not
# appear); without a language setting (lib.sh) rtcal speaks English.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/locales.sh"
export TZ=UTC

S=$T/sim.json L=$T/log.jsonl A=$T/adjtime
"$RTCAL" sim init "$S" --offset 2 --rate-ppm 50 >/dev/null
"$RTCAL" --rtc "sim:$S" --adjfile "$A" --utc systohc >/dev/null
for d in 0 2d 3d 4d; do
  [ "$d" = 0 ] || "$RTCAL" sim advance "$S" "$d" >/dev/null
  "$RTCAL" --rtc "sim:$S" --log "$L" --noadjfile --utc measure --system-error 0 --sigma 0.002 >/dev/null
done
cp "$S" "$S.orig"
status() { cp "$S.orig" "$S"; expect_code 0 in_lang "$1" "$RTCAL" --rtc "sim:$S" --adjfile "$A" --log "$L" status; }
drift() { expect_code 0 in_lang "$1" "$RTCAL" --log "$L" --noadjfile drift; }

# English without a language setting: the messages are the source's.
status C
expect_contains "Measurement log $L:" "$T/out"
expect_contains "  4 measurements, 0 known steps of the RTC, 0 resets" "$T/out"
cp "$T/out" "$T/status.en"
drift C
expect_contains "The RTC gains 4.3200 s/day" "$T/out"

# check LANG WORDS...: status, drift, an error, an option error and --help in LANG.
check() {
  local lang=$1
  status "$lang"
  expect_contains "$2" "$T/out"
  expect_contains "$3" "$T/out"
  # the numbers are the same as in English (none localised)
  [ "$(grep -oE '[+-]?[0-9]+\.[0-9]+' "$T/out")" = "$(grep -oE '[+-]?[0-9]+\.[0-9]+' "$T/status.en")" ] \
    || { diff "$T/status.en" "$T/out"; fail "$lang: status's numbers differ from English"; }
  drift "$lang"
  expect_contains "$4" "$T/out"
  expect_code 2 in_lang "$lang" "$RTCAL" --noadjfile status
  expect_contains "$5" "$T/err"
  expect_code 2 in_lang "$lang" "$RTCAL" --no-such-option
  expect_contains "$6" "$T/err"
  expect_code 0 in_lang "$lang" "$RTCAL" --help
  expect_contains "$7" "$T/out"
  expect_code 0 in_lang "$lang" "$RTCAL" status --help
  expect_contains "$8" "$T/out"
}
check ko_KR "측정 기록 $L:" "측정 4개, 하드웨어 시계의 알려진 조정 0번, 재설정 0번" "하드웨어 시계가 하루에 4.3200초 빨라집니다" \
  "rtcal: --noadjfile: adjtime 파일 없이는 하드웨어 시계가 UTC인지 지역 시간인지 알 수 없음 (--utc 또는 --localtime을 더하십시오)" \
  "(rtcal --help 참조)" "공통 옵션" "adjtime 파일(보정 계수"
check zh_CN "测量日志 $L：" "4 次测量，硬件时钟的已知调整 0 次，0 次重置" "硬件时钟每天快 4.3200 秒" \
  "rtcal: --noadjfile: 没有 adjtime 文件，无法知道硬件时钟使用 UTC 还是本地时间 (请加上 --utc 或 --localtime)" \
  "（参见 rtcal --help）" "全局选项" "解释 adjtime 文件"

# an option's value that does not convert names the option, the value and the subcommand's help
expect_code 2 in_lang C "$RTCAL" trim --set abc
expect_contains "rtcal: --set: 'abc' is not a value this option takes (a number where it wants one; see rtcal trim --help)" "$T/err"
expect_code 2 in_lang ko_KR "$RTCAL" trim --set abc
expect_contains "--set: 'abc'은(는) 이 옵션이 받는 값이 아닙니다 (숫자를 받는 옵션이면 숫자를 주십시오; rtcal trim --help 참조)" "$T/err"
expect_code 2 in_lang zh_CN "$RTCAL" trim --set abc
expect_contains "--set：'abc' 不是此选项接受的值（需要数字时请给出数字；参见 rtcal trim --help）" "$T/err"

# every command's description in the overview, though its file marks none
expect_code 0 in_lang ko_KR "$RTCAL" --help
expect_contains "시스템 시계로 하드웨어 시계를 맞춥니다." "$T/out"
expect_code 0 in_lang zh_CN "$RTCAL" sim --help
expect_contains "在文件中创建模拟世界" "$T/out"

# ages in words too ("9 days ago")
status ko_KR
expect_contains "일 전)" "$T/out"
status zh_CN
expect_contains " 天前)" "$T/out"
expect_contains "$(grep -F "(9 days ago)" "$T/status.en" | head -1 | grep -oE '[0-9-]+ [0-9:+]+') (9 天前)" "$T/out"

# gettext's other ways to choose: LANGUAGE (a list, first wins), LC_MESSAGES, LANG.
cp "$S.orig" "$S"
expect_code 0 env LOCPATH="$LOCALES" LC_ALL=de_DE.UTF-8 LANGUAGE=zh_CN:ko "$RTCAL" --rtc "sim:$S" --adjfile "$A" --log "$L" status
expect_contains "4 次测量" "$T/out"
# the German locale's decimal comma must not leak into the numbers
[ "$(grep -oE '[+-]?[0-9]+\.[0-9]+' "$T/out")" = "$(grep -oE '[+-]?[0-9]+\.[0-9]+' "$T/status.en")" ] \
  || fail "numbers changed under LC_ALL=de_DE.UTF-8"
expect_code 2 env -u LC_ALL LOCPATH="$LOCALES" LC_MESSAGES=ko_KR.UTF-8 "$RTCAL" --noadjfile status
expect_contains "adjtime 파일 없이는" "$T/err"
expect_code 2 env -u LC_ALL LOCPATH="$LOCALES" LANG=zh_CN.UTF-8 "$RTCAL" --noadjfile status
expect_contains "没有 adjtime 文件" "$T/err"
# a language without a catalog: English
expect_code 2 in_lang de_DE "$RTCAL" --noadjfile status
expect_contains "the RTC scale is unknown without the adjtime file" "$T/err"
echo "ok: status, drift, errors and --help in Korean and Chinese; numbers unchanged"
