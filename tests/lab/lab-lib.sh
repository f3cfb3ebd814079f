# Shared by the lab tests (tests/lab/*.test.sh), after tests/lib.sh:
#   lab_boot [--base DATE] [--net] SCENARIO   one guest boot; fails the test
#                                              when a LAB-RESULT failed, skips
#                                              when the lab cannot run here.
lab_scenario() { echo "$RTCAL_SOURCE_DIR/tests/lab/scenarios/$1"; }

lab_boot() {
  local rc=0
  bash "$RTCAL_SOURCE_DIR/tests/lab/lab.sh" run "$@" || rc=$?
  [ "$rc" != 77 ] || skip "the QEMU lab cannot run here (see the lab: line above)"
  [ "$rc" = 0 ] || fail "lab guest reported failures: $*"
}
