#!/usr/bin/env bash
# The guided `rtcal measure` on a real terminal, in Korean (LANGUAGE=ko,
# LC_ALL=ko_KR.UTF-8; po/ko.po): the same person and speaking clock as the
# English run (tty/guided_measure.sh), who follows rtcal's Korean prompts.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../i18n/locales.sh"
GUIDE_LANG_ENV="LOCPATH=$LOCALES LANGUAGE=ko LC_ALL=ko_KR.UTF-8 RTCAL_LOCALEDIR=$RTCAL_LOCALEDIR"
SAY_CHOICE="선택 [2]:" SAY_REACTION="반응 시간:" SAY_ASK="다음 삐 소리에 알려 줄 시각은?"
SAY_PRESS="삐 소리에 맞춰 Enter를 누르십시오." SAY_FIRST="; 첫 측정입니다: 드리프트 비율을 알려면 일주일 이상 뒤에 다시 측정하십시오"
. "$(dirname "$0")/guided_measure.sh"
