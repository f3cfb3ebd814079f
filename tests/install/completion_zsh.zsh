# Driver for completion_zsh.test.sh (not a test by itself): starts an
# interactive zsh on a pseudo-terminal with rtcal's _rtcal in fpath, types
# each line of stdin followed by TAB, and prints what zsh shows, between
# "=== LINE" headers. Usage: zsh -f completion_zsh.zsh FPATH_DIR < lines
zmodload zsh/zpty
zpty z env TERM=dumb zsh -f -i
zpty -w z "PS1='PROMPT> '; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D; setopt no_beep; LISTMAX=0; rtcal() { :; }; echo READY-\$_comps[rtcal]"
zpty -r z out '*READY-*' || exit 1
zpty -r z out '*PROMPT> ' || exit 1
while IFS= read -r line; do
  zpty -w -n z "$line"$'\t'
  out= quiet=0
  for i in {1..30}; do  # at most 3 s: until 0.3 s pass without output
    if zpty -r -t z chunk; then out+=$chunk; quiet=0; else sleep 0.1; (( ++quiet >= 3 )) && [[ -n $out ]] && break; fi
  done
  print -r -- "=== $line"
  print -r -- "${out//$'\r'/}"
  zpty -w -n z $'\x15'  # kill the line
  sleep 0.1
  while zpty -r -t z chunk; do :; done
done
zpty -d z
