#!/usr/bin/env python3
"""A scripted, hostile NTP server for rtcal's tests: one misbehaviour per mode.

It answers on 127.0.0.1 (or ::1) at a random port, writes that port to
--portfile, and exits after --lifetime seconds or --max-requests requests,
whichever comes first, so a test that forgets it cannot leave it running.
Its clock is this machine's clock plus --offset seconds (exact, sub-second
offsets are fine: both receive and transmit timestamps come from Python).

Modes (what the reply gets wrong):
  good                     nothing (offset --offset, default +0.25 s)
  wrong_origin             origin timestamp is not the request's transmit
  zero_transmit            transmit timestamp 0
  kod_deny|kod_rstr|kod_rate  Kiss-o'-Death with that code
  stratum0                 stratum 0 with no kiss code
  stratum16                stratum 16 (unsynchronised)
  li3                      leap indicator 3 (alarm)
  mode3                    mode 3 (a client packet) instead of 4
  version5                 version 5
  short                    40 bytes
  other_port               good reply, but sent from another port
  transmit_before_receive  T3 half a second before T2
  negative_delay           T3 half a second after T2 (more than the round trip)
  root_distance            root dispersion 1.2 s
  silent                   never answers
  slow                     answers after --slow seconds (default 0.8)
  duplicate                sends every reply twice
  era1                     its clock reads 2036-03-01 00:00:00 UTC at start (NTP era 1);
                           writes the offset it uses to --offsetfile
"""
import argparse
import os
import socket
import struct
import time

NTP_TO_UNIX = 2208988800
MARCH_2036 = 2087942400  # 2036-03-01 00:00:00 UTC, after the era-1 rollover


def ntp64(unix_s):
    """A unix time as a 64-bit NTP timestamp (era dropped, as on the wire)."""
    whole = int(unix_s // 1)
    frac = int(round((unix_s - whole) * 2**32))
    if frac >= 2**32:
        whole, frac = whole + 1, 0
    return (((whole + NTP_TO_UNIX) % 2**32) << 32) | frac


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; SCM_TIMESTAMPNS has the same value


def kernel_receive_time(ancillary):
    """T2 from the kernel's receive timestamp, so a busy machine does not skew it."""
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec + nsec / 1e9
    return time.time()


def reply(mode, request, t2, t3):
    li, vn, md, stratum, refid = 0, 4, 4, 2, 0xC0000201
    root_delay, root_disp = 0x10, 0x10  # about 0.25 ms each
    origin = request[40:48]
    transmit = ntp64(t3)
    receive = ntp64(t2)
    if mode == "wrong_origin":
        origin = bytes(b ^ 0x5A for b in origin)
    elif mode == "zero_transmit":
        transmit = 0
    elif mode.startswith("kod_"):
        li, stratum, refid = 3, 0, int.from_bytes(mode[4:].upper().encode(), "big")
    elif mode == "stratum0":
        li, stratum, refid = 0, 0, 0
    elif mode == "stratum16":
        stratum = 16
    elif mode == "li3":
        li = 3
    elif mode == "mode3":
        md = 3
    elif mode == "version5":
        vn = 5
    elif mode == "transmit_before_receive":
        transmit = ntp64(t2 - 0.5)
    elif mode == "negative_delay":
        transmit = ntp64(t2 + 0.5)
    elif mode == "root_distance":
        root_disp = int(1.2 * 65536)
    header = struct.pack("!BBbbIII", (li << 6) | (vn << 3) | md, stratum, 6, -20,
                         root_delay, root_disp, refid)
    packet = header + struct.pack("!Q", ntp64(t2 - 16)) + origin + struct.pack("!QQ", receive, transmit)
    return packet[:40] if mode == "short" else packet


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", required=True)
    ap.add_argument("--portfile", required=True)
    ap.add_argument("--offsetfile")
    ap.add_argument("--offset", type=float, default=0.25)
    ap.add_argument("--slow", type=float, default=0.8)
    ap.add_argument("--family", choices=["4", "6"], default="4")
    ap.add_argument("--lifetime", type=float, default=30)
    ap.add_argument("--max-requests", type=int, default=200)
    a = ap.parse_args()

    family, host = (socket.AF_INET, "127.0.0.1") if a.family == "4" else (socket.AF_INET6, "::1")
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((host, 0))
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    other = socket.socket(family, socket.SOCK_DGRAM)
    other.bind((host, 0))
    offset = a.offset
    if a.mode == "era1":
        offset = MARCH_2036 - time.time()
    if a.offsetfile:
        with open(a.offsetfile + ".tmp", "w") as f:
            f.write("%.9f\n" % offset)
        os.rename(a.offsetfile + ".tmp", a.offsetfile)
    with open(a.portfile + ".tmp", "w") as f:
        f.write("%d\n" % sock.getsockname()[1])
    os.rename(a.portfile + ".tmp", a.portfile)

    end = time.monotonic() + a.lifetime
    for _ in range(a.max_requests):
        left = end - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            request, ancillary, _, client = sock.recvmsg(1024, socket.CMSG_SPACE(16))
        except socket.timeout:
            break
        t2 = kernel_receive_time(ancillary) + offset
        if a.mode == "silent" or len(request) < 48:
            continue
        if a.mode == "slow":
            time.sleep(a.slow)
        data = reply(a.mode, request, t2, time.time() + offset)
        (other if a.mode == "other_port" else sock).sendto(data, client)
        if a.mode == "duplicate":
            sock.sendto(data, client)


if __name__ == "__main__":
    main()
