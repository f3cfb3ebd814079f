#!/usr/bin/env bash
# The bad-input table: every malformed file, date or argument gets a message
# naming the object, the cause and the fix ("rtcal: OBJECT: CAUSE (FIX)"), the
# documented exit code, and leaves every file exactly as it was.
. "$(dirname "$0")/../lib.sh"

good='-9.600000 845082716 -0.250655
845082716
UTC
'
# fixture NAME CONTENT: an adjtime file variant under $T/fx/NAME
mkdir -p "$T/fx" "$T/run"
fixture() { printf '%s' "$2" >"$T/fx/$1"; }
fixture good "$good"
fixture bad_factor 'abc 845082716 0.000000
845082716
UTC
'
fixture bad_last_adjust '0.000000 abc 0.000000
0
UTC
'
fixture bad_not_adjusted '0.000000 845082716 zz
0
UTC
'
fixture bad_calibration '0.000000 845082716 0.000000
yesterday
UTC
'
fixture bad_scale '0.000000 845082716 0.000000
0
utc
'
fixture nan_factor 'nan 845082716 0.000000
0
UTC
'
fixture inf_factor '-inf 845082716 0.000000
0
UTC
'
fixture huge_time '0.000000 99999999999999999999999 0.000000
0
UTC
'
printf '%s\n' '{"type":"measurement","time":1795427168,"rtc_error":1.5,"sigma":0.2,"source":"typed"}' \
  'this is not json' \
  '{"type":"measurement","time":1795513568,"rtc_error":2.0,"sigma":0.2,"source":"typed"}' >"$T/fx/log_corrupt"
printf '{"version":1, "broken": \n' >"$T/fx/sim_malformed"

pass=0
# row CODE OBJECT FIXTURE [ENV=VAL...] -- ARGS...
# Runs rtcal in $T/run with adjtime (copied from FIXTURE, or none for "-"),
# checks the exit code, the message shape, and that no file changed.
row() {
  local code=$1 object=$2 fx=$3
  shift 3
  local envs=() adj="$T/run/adjtime"
  while [ "$1" != "--" ]; do
    case $1 in @adj=*) adj=${1#@adj=} ;; *) envs+=("$1") ;; esac
    shift
  done
  shift
  rm -rf "$T/run" && mkdir -p "$T/run"
  case $fx in
    -) ;;
    DIR) mkdir "$T/run/adjtime" ;;
    *) cp "$T/fx/$fx" "$T/run/adjtime" ;;
  esac
  cp "$T/fx/log_corrupt" "$T/run/log.jsonl"
  cp "$T/fx/sim_malformed" "$T/run/sim_malformed.json"
  local before after got=0
  # The empty lock file beside adjtime (as /etc/.pwd.lock) is not state: not compared.
  snapshot() { (cd "$T/run" && find . ! -name '.*.lock' -type f -exec sha256sum {} + | sort
    find . ! -name '.*.lock' -type f -printf '%p %m %s %T@\n' | sort); }
  before=$(snapshot)
  (cd "$T/run" && env "${envs[@]}" "$RTCAL" --adjfile "$adj" --log "$T/run/log.jsonl" "$@") \
    >"$T/out" 2>"$T/err" || got=$?
  after=$(snapshot)
  local where="row [$code $object: $*]"
  [ "$got" = "$code" ] || { cat "$T/out" "$T/err"; fail "$where: exit $got, expected $code"; }
  [ "$before" = "$after" ] || fail "$where: files changed"
  if [ "$code" != 0 ]; then
    local msg
    msg=$(head -n1 "$T/err")
    [[ "$msg" == "rtcal: "* ]] || fail "$where: message does not start with 'rtcal: ': $msg"
    [[ "$msg" == *"$object"* ]] || fail "$where: message does not name '$object': $msg"
    [[ "$msg" =~ \(.+\)$ ]] || fail "$where: message names no fix '(...)': $msg"
  else
    grep -qF -- "$object" "$T/err" || fail "$where: expected a warning naming '$object'"
  fi
  pass=$((pass + 1))
}

# --- malformed adjtime files (exit 3 when the command needs the field) ------
row 3 "adjtime:1" bad_factor -- predict --date '2026-01-01 00:00'
row 3 "adjtime:1" bad_last_adjust -- predict --date '2026-01-01 00:00'
row 3 "adjtime:1" bad_not_adjusted -- status
row 3 "adjtime:2" bad_calibration -- status
row 3 "adjtime:3" bad_scale -- status
row 3 "adjtime:1" nan_factor -- status
row 3 "adjtime:1" inf_factor -- predict --date 2026-01-01
row 3 "adjtime:1" huge_time -- status
row 3 "adjtime:1" bad_factor -- factor --error 1 --days 2 --write
row 3 "adjtime:2" bad_calibration -- factor --error 1 --days 2 --write
# --- unreadable state ----------------------------------------------------------
row 1 "$T/run/adjtime" DIR -- status
row 1 "$T/run/missing-dir/" - "@adj=$T/run/missing-dir/adjtime" -- factor --error 1 --days 2 --write
row 1 "nope.json" good -- --rtc sim:"$T/run/nope.json" status
row 3 "sim_malformed.json" good -- --rtc sim:"$T/run/sim_malformed.json" status
# --- dates ---------------------------------------------------------------------
row 2 "--date" good -- predict --date '2026-02-30 10:00'
row 2 "--date" good -- predict --date '2026-13-01 10:00'
row 2 "--date" good -- predict --date '25:00'
row 2 "--date" good -- predict --date 'next blue moon'
row 2 "--date" good -- predict --date ''
row 2 "--date" good TZ=Europe/Berlin -- predict --date '2026-03-29 02:30'
row 2 "--date" good TZ=Europe/Berlin -- predict --date '2026-10-25 02:30'
row 2 "--date" good -- predict --date '2026-11-23 10:00+25:00'
row 2 "--date" good -- predict --date '@abc'
row 2 "--from" good -- factor --error 1 --from '2026-02-29' --to '2026-03-10'
# --- arguments -------------------------------------------------------------------
row 2 "--date" good -- predict
row 2 "--frobnicate" good -- status --frobnicate
row 2 "frobnicate" good -- frobnicate
row 2 "--error" good -- factor --days 3
row 2 "--error" good -- factor --error 1 --added 1 --days 3
row 2 "interval" good -- factor --error 1
row 2 "--days" good -- factor --error 1 --days 0
row 2 "--days" good -- factor --error 1 --days -3
row 2 "--days" good -- factor --error 1 --days abc
row 2 "--error" good -- factor --error nan --days 3
row 2 "interval" good -- factor --error 1 --days 3 --from 2026-01-01 --to 2026-02-01
row 2 "--from" good -- factor --error 1 --from 2026-02-01 --to 2026-01-01
row 2 "--from-day" good -- factor --error 1 --from-day 0 --to-day 10 --year 2024
row 2 "--from-day" good -- factor --error 1 --from-day 366 --to-day 10 --year 2023
row 2 "--year" good -- factor --error 1 --from-day 10 --to-day 20
row 4 "factor" good -- factor --error 1e9 --days 1
row 2 "--utc" good -- --utc --localtime status
row 2 "--noadjfile" good -- --noadjfile predict --date 2026-01-01
row 2 "--write" good -- --noadjfile --utc factor --error 1 --days 3 --write
# --- a corrupt log line is reported and skipped, the rest kept (exit 0) -----
row 0 "log.jsonl:2" good -- status
echo "bad_inputs: $pass rows"
echo "$pass passed, 0 failed"
