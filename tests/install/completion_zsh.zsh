# Driver for completion_zsh.test.sh (not a test by itself): starts an
# interactive zsh on a pseudo-terminal with rtcal's _rtcal in fpath, types
# each line of stdin followed by TAB, and prints what zsh shows, between
# "=== LINE" headers. After the TAB it types ^T, bound to a widget that shows
# a marker: keys are handled in order, so the marker means the completion is
# done, however loaded the machine. Usage: zsh -f completion_zsh.zsh FPATH_DIR < lines
zmodload zsh/zpty
zpty z env TERM=dumb zsh -f -i
zpty -w z "PS1='PROMPT> '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; setopt no_beep; LISTMAX=0; rtcal() { :; }; mark() { zle -M MARK-\$1-DONE; }; done-mark() { mark done; }; clear-mark() { mark clear; }; zle -N done-mark; zle -N clear-mark; bindkey '^T' done-mark; bindkey '^Y' clear-mark; echo READY-\$_comps[rtcal]"
zpty -r z out '*READY-_rtcal*' || exit 1
zpty -r z out '*PROMPT> ' || exit 1
while IFS= read -r line; do
  zpty -w -n z "$line"$'\t\x14'
  zpty -r z out '*MARK-done-DONE*' || exit 1
  print -r -- "=== $line"
  print -r -- "${out//$'\r'/}"
  zpty -w -n z $'\x15\x19'  # kill the line, then wait for that
  zpty -r z out '*MARK-clear-DONE*' || exit 1
done
zpty -d z
