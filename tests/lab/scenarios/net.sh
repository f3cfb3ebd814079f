# Guest scenario: virtio-net comes up and the guest reaches a service on this
# machine's loopback through QEMU user networking (10.0.2.2 -> 127.0.0.1),
# the path a later NTP test takes. LAB_HTTP_PORT and LAB_TOKEN come from the
# host test (--env).
lab_net_up
lab_run ip addr show eth0
lab_run cat /sys/class/net/eth0/carrier
# busybox-static's wget crashes (static glibc name lookup); nc takes an address.
lab_run sh -c "printf 'GET /token HTTP/1.0\r\n\r\n' | nc -w 5 10.0.2.2 $LAB_HTTP_PORT"
lab_equal host-loopback-reached "$(echo "$LAB_OUT" | tail -n 1)" "$LAB_TOKEN" "(via 10.0.2.2:$LAB_HTTP_PORT)"
