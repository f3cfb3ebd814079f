# Shared by the tests/i18n tests and tests/tty/guided_measure_ko (source it
# after lib.sh): the Korean and Chinese locales, and a German one (a comma as
# the decimal point), built with localedef under $T/locales, so no system
# locale is needed. Use them per command: LOCPATH=$LOCALES LC_ALL=ko_KR.UTF-8 ...
LOCALES=$T/locales
mkdir -p "$LOCALES"
for l in ko_KR zh_CN de_DE; do
  localedef -i "$l" -f UTF-8 "$LOCALES/$l.UTF-8" >/dev/null 2>&1 || skip "localedef $l.UTF-8 failed (Debian: locales)"
done
[ -f "$RTCAL_LOCALEDIR/ko/LC_MESSAGES/rtcal.mo" ] || skip "no catalogs in $RTCAL_LOCALEDIR (msgfmt missing at build time?)"

# in_lang LANG CMD...: CMD with the messages of LANG (ko_KR, zh_CN, de_DE or C).
in_lang() {
  local lang=$1; shift
  if [ "$lang" = C ]; then LC_ALL=C.UTF-8 "$@"; else LOCPATH=$LOCALES LC_ALL=$lang.UTF-8 "$@"; fi
}
