#!/usr/bin/env python3
"""A two-port "cable" with a fixed one-way delay, for pcaps/make-captures.sh.

Runs in its own network namespace between two veth ends (no addresses) and copies every Ethernet frame that
arrives on one port to the other one DELAY ms later, in order. It neither drops nor changes frames: the kernel
here has no netem, so this gives the path a LAN-like round-trip time (2 x DELAY) instead of the ~20 us of a bare
veth pair. Exits on SIGTERM/SIGINT, or after --max-s seconds.

Usage: wire.py PORT_A PORT_B --delay-ms 1 [--ready-file F] [--max-s 300]
"""
import argparse
import heapq
import os
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_IGNORE_OUTGOING = 23
PACKET_STATISTICS = 6
SOL_PACKET = 263


def open_port(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    # SO_RCVBUFFORCE/SO_SNDBUFFORCE (root): not capped by net.core.rmem_max of the new namespace
    s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
    s.setsockopt(socket.SOL_SOCKET, 32, 16 << 20)
    s.bind((name, 0))
    s.setblocking(False)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port_a")
    ap.add_argument("port_b")
    ap.add_argument("--delay-ms", type=float, default=1.0)
    ap.add_argument("--ready-file")
    ap.add_argument("--max-s", type=float, default=300.0)
    a = ap.parse_args()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    pa, pb = open_port(a.port_a), open_port(a.port_b)
    other = {pa.fileno(): pb, pb.fileno(): pa}
    poller = select.poll()
    poller.register(pa, select.POLLIN)
    poller.register(pb, select.POLLIN)
    delay = a.delay_ms / 1000.0
    queue = []   # (due, seq, out socket, frame): a FIFO, since the delay is fixed
    seq = 0
    end = time.monotonic() + a.max_s
    forwarded = 0
    if a.ready_file:
        open(a.ready_file, "w").close()
    while not stop and time.monotonic() < end:
        now = time.monotonic()
        if queue and queue[0][0] - now < 0.0015:
            # poll() only has millisecond resolution (rounded up): sleep the last stretch precisely instead
            if queue[0][0] > now:
                time.sleep(queue[0][0] - now)
            timeout = 0
        else:
            timeout = 50 if not queue else int((queue[0][0] - now) * 1000.0) - 1
        try:
            events = poller.poll(timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd, _ in events:
            src = pa if fd == pa.fileno() else pb
            while True:
                try:
                    frame = src.recv(65536)
                except BlockingIOError:
                    break
                heapq.heappush(queue, (now + delay, seq, other[fd], frame))
                seq += 1
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                out.send(frame)
                forwarded += 1
            except OSError as e:
                print("wire.py: send failed: %s" % e, file=sys.stderr)
    drops = 0
    for p in (pa, pb):
        st = p.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        drops += int.from_bytes(st[4:8], sys.byteorder)
    print("wire.py: forwarded %d frames, %d dropped by the packet sockets" % (forwarded, drops), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
