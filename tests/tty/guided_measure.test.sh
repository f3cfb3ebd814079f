#!/usr/bin/env bash
# The guided `rtcal measure` on a real terminal, in English (the scenario: tty/guided_measure.sh).
. "$(dirname "$0")/../lib.sh"
GUIDE_LANG_ENV=""
SAY_CHOICE="Choice [2]:" SAY_REACTION="Your reaction:" SAY_ASK="Which time will be announced"
SAY_PRESS="Press Enter at the beep." SAY_FIRST="; the first measurement: measure again in a week"
. "$(dirname "$0")/guided_measure.sh"
