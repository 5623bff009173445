#!/usr/bin/env python3
"""Deterministic workload generator for pcaps/make-captures.sh.

Writes the plaintext one TLS peer (openssl s_client or s_server, reading its stdin) sends, and a copy of it
to --tee, so the capture script knows the exact bytes, their size and their sha256.

The content depends only on --seed and the size arguments (SHAKE-256 of the seed), never on timing:
  bulk   --bytes N                      N pseudo-random bytes, written in 64 KiB chunks as fast as the pipe takes them
  lines  --count N --min A --max B      N lines of printable text, each A..B bytes including its '\n', one
         --interval-ms T                os.write() per line and T ms of sleep between lines, so that the peer
                                        reads (and seals) one line per TLS record

Timing options (they change packetization, not content):
  --wait-file F --wait-for S   do not start before file F (the peer's key log) contains S, i.e. the handshake is done
  --pre-delay-ms, --post-delay-ms   sleep before the first / after the last write
  --hold-s H                   after the last write keep stdout open for up to H seconds, or until the peer
                               closes its end of the pipe (then exit quietly); s_server closes the connection when
                               its stdin reaches EOF, so the server side must be held open.
Standard library only.
"""
import argparse
import hashlib
import os
import select
import sys
import time


def stream(seed: str, n: int) -> bytes:
    return hashlib.shake_256(("tlsnic-pcaps:" + seed).encode()).digest(n) if n else b""


def bulk_bytes(seed: str, n: int) -> bytes:
    return stream(seed, n)


ALPHABET = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_=+/"


def lines(seed: str, count: int, lo: int, hi: int):
    rnd = stream(seed + ":lines", count * 2 + 4)
    body = stream(seed + ":body", count * hi)
    out = []
    for i in range(count):
        ln = lo + int.from_bytes(rnd[2 * i:2 * i + 2], "big") % (hi - lo + 1)
        prefix = b"%06d " % i
        chunk = body[i * hi:i * hi + ln]
        text = bytes(ALPHABET[c % len(ALPHABET)] for c in chunk)
        line = (prefix + text)[:ln - 1] + b"\n"
        out.append(line)
    return out


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["bulk", "lines"])
    ap.add_argument("--seed", required=True)
    ap.add_argument("--bytes", type=int, default=0)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--min", type=int, default=16)
    ap.add_argument("--max", type=int, default=160)
    ap.add_argument("--interval-ms", type=float, default=0.0)
    ap.add_argument("--wait-file")
    ap.add_argument("--wait-for", default="")
    ap.add_argument("--wait-timeout-s", type=float, default=20.0)
    ap.add_argument("--pre-delay-ms", type=float, default=0.0)
    ap.add_argument("--post-delay-ms", type=float, default=0.0)
    ap.add_argument("--hold-s", type=float, default=0.0)
    ap.add_argument("--tee", help="also write the exact plaintext to this file")
    ap.add_argument("--dry-run", action="store_true", help="only write --tee (or stdout), no delays, no waiting")
    a = ap.parse_args()

    if a.mode == "bulk":
        chunks = [bulk_bytes(a.seed, a.bytes)]
        chunks = [chunks[0][i:i + 65536] for i in range(0, len(chunks[0]), 65536)]
    else:
        chunks = lines(a.seed, a.count, a.min, a.max)
    if a.tee:
        with open(a.tee, "wb") as f:
            f.write(b"".join(chunks))
    if a.dry_run:
        if not a.tee:
            write_all(1, b"".join(chunks))
        return 0

    if a.wait_file:
        deadline = time.monotonic() + a.wait_timeout_s
        while True:
            try:
                with open(a.wait_file, "rb") as f:
                    if a.wait_for.encode() in f.read():
                        break
            except FileNotFoundError:
                pass
            if time.monotonic() > deadline:
                print("workload.py: timed out waiting for %s" % a.wait_file, file=sys.stderr)
                return 3
            time.sleep(0.005)
    time.sleep(a.pre_delay_ms / 1000.0)
    try:
        for i, c in enumerate(chunks):
            write_all(1, c)
            if a.interval_ms and i + 1 < len(chunks):
                time.sleep(a.interval_ms / 1000.0)
        time.sleep(a.post_delay_ms / 1000.0)
        if a.hold_s:
            # A pipe's write end polls "error" once the reader is gone: wait for that or the timeout.
            p = select.poll()
            p.register(1, select.POLLERR)
            p.poll(a.hold_s * 1000.0)
    except BrokenPipeError:
        pass
    try:
        os.close(1)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
