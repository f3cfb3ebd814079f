# Guest scenario (booted with lockdown=integrity): kernel lockdown refuses
# port I/O even to root, so --directisa must say that lockdown is the cause
# and that /dev/rtc is the way, while /dev/rtc0 keeps working.
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || true
lab_run cat /sys/kernel/security/lockdown
lab_contains lockdown-active "$LAB_OUT" "[integrity]" "(the kernel's lockdown state)"
lab_run rtcal --directisa show
lab_equal lockdown-directisa-exit "$LAB_RC" 1
lab_contains lockdown-directisa-cause "$LAB_OUT" "(kernel lockdown: none [integrity] confidentiality)"
lab_contains lockdown-directisa-fix "$LAB_OUT" "use /dev/rtc instead of --directisa"
lab_run rtcal show
lab_equal lockdown-dev-rtc-works "$LAB_RC" 0
