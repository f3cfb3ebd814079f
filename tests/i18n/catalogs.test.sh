#!/usr/bin/env bash
# The message catalogs are complete and well-formed: po/rtcal.pot holds every
# message the sources mark (xgettext run afresh finds none missing), each
# po/<lang>.po passes msgfmt --check, translates every message (nothing
# untranslated, nothing fuzzy) and keeps each message's placeholders ({1},
# {2}, ...: the same set, as translators may reorder them), its leading
# "; " or space and its trailing newline.
. "$(dirname "$0")/../lib.sh"
command -v msgfmt >/dev/null && command -v xgettext >/dev/null || skip "gettext is needed (Debian: gettext)"
command -v python3 >/dev/null || skip "python3 is needed"
SRC=${RTCAL_SOURCE_DIR:?}
cd "$SRC"

find src -name '*.cc' -o -name '*.h' | LC_ALL=C sort >"$T/files"
xgettext --language=C++ --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=plural:1,2 --keyword=add_subcommand:2 \
  --files-from="$T/files" -o "$T/fresh.pot"
msgcmp --use-untranslated po/rtcal.pot "$T/fresh.pot" 2>"$T/err" \
  || { cat "$T/err"; fail "po/rtcal.pot is out of date: cmake --build build --target rtcal-po-update"; }
msgcmp --use-untranslated "$T/fresh.pot" po/rtcal.pot 2>"$T/err" \
  || { cat "$T/err"; fail "po/rtcal.pot has messages the sources no longer mark: cmake --build build --target rtcal-po-update"; }

langs=0
for po in po/*.po; do
  langs=$((langs + 1))
  msgfmt --check --statistics -o "$T/out.mo" "$po" 2>"$T/stats" || { cat "$T/stats"; fail "$po: msgfmt --check"; }
  grep -q " translated message" "$T/stats" || fail "$po: no statistics"
  grep -qE "fuzzy|untranslated" "$T/stats" && { cat "$T/stats"; fail "$po: not every message translated"; }
  msgcmp "$po" po/rtcal.pot 2>"$T/err" || { cat "$T/err"; fail "$po: misses messages of po/rtcal.pot (rtcal-po-update)"; }
  echo "$po: $(cat "$T/stats")"
done
[ "$langs" -ge 2 ] || fail "expected po/ko.po and po/zh_CN.po, found $langs catalogs"

# Placeholders and edges: msgcat flattens the catalog, python compares.
for po in po/*.po; do
  msgcat --no-wrap "$po" >"$T/flat.po"
  python3 - "$T/flat.po" "$po" <<'PY' || fail "$po: placeholders or edges differ (see above)"
import re, sys, ast
text = open(sys.argv[1], encoding="utf-8").read()
bad = 0
for block in text.split("\n\n"):
    ids = re.findall(r'^msgid(?:_plural)? (".*")$', block, re.M)
    strs = re.findall(r'^msgstr(?:\[\d\])? (".*")$', block, re.M)
    if not ids or ids[0] == '""':
        continue
    msgid = ast.literal_eval(ids[0])
    for raw in strs:
        msgstr = ast.literal_eval(raw)
        want, got = sorted(re.findall(r"\{\d\}", msgid)), sorted(re.findall(r"\{\d\}", msgstr))
        problems = []
        if want != got: problems.append("placeholders %s vs %s" % (want, got))
        if msgid.endswith("\n") != msgstr.endswith("\n"): problems.append("trailing newline")
        if msgid.startswith("; ") and not (msgstr.startswith("; ") or msgstr.startswith("；")): problems.append("leading '; '")
        if msgid.startswith(" ") and not msgstr[:1] in (" ", "（"): problems.append("leading space")
        if msgid.count("\n") and not msgstr.count("\n"): problems.append("line breaks lost")
        for p in problems:
            print("%s: %r: %s" % (sys.argv[2], msgid[:60], p))
            bad += 1
sys.exit(1 if bad else 0)
PY
done
echo "ok: $langs catalogs complete, placeholders match"
