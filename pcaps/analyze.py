#!/usr/bin/env python3
"""Checks one fresh capture with tshark and writes its manifest entry (used by make-captures.sh).

- decrypts it with its key log (tshark follow,tls,raw with out-of-order reassembly) and requires the plaintext of
  each direction to equal what the workload generator sent (bytes and sha256);
- checks the negotiated version and cipher suite in the ServerHello;
- counts packets and tshark's TCP analysis flags (retransmission, fast retransmission, out-of-order,
  lost segment, spurious retransmission, duplicate ACK);
- checks on its own, per direction, that loss is really on the wire: walking the receiver's capture in order, a
  gap is a data segment that starts beyond every byte seen so far; the bytes of the gap must be absent from every
  earlier frame and arrive later (a late retransmission). For a lossy capture at least one such gap is required.
Standard library + tshark only. Also importable: follow_tls() and sha256 helpers are reused by verify-with-tshark.py.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

SUITES = {
    ("13", "aes128gcm"): ("TLS_AES_128_GCM_SHA256", 0x1301, "TLS_AES_128_GCM_SHA256"),
    ("13", "aes256gcm"): ("TLS_AES_256_GCM_SHA384", 0x1302, "TLS_AES_256_GCM_SHA384"),
    ("13", "chacha20"): ("TLS_CHACHA20_POLY1305_SHA256", 0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
    ("12", "aes128gcm"): ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F, "ECDHE-RSA-AES128-GCM-SHA256"),
    ("12", "aes256gcm"): ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030, "ECDHE-RSA-AES256-GCM-SHA384"),
    ("12", "chacha20"): ("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8, "ECDHE-RSA-CHACHA20-POLY1305"),
}

WORKLOADS = {
    "bulk": "bulk: after the handshake the server writes 8 KiB, then the client writes 1 MiB as fast as it can "
            "(s_client reads its stdin 8 KiB at a time, so 128 records of 8 KiB), then closes (close_notify)",
    "bulk4m": "bulk, 4 MiB: like bulk with 4 MiB from the client; the replay-vs-tshark throughput benchmark capture, "
              "and the bulk/clean capture of TLS 1.3 AES-128-GCM (there is no 1 MiB one)",
    "small": "many small writes both ways: the client writes 400 lines of 16-160 bytes, one write every 3 ms, the "
             "server 120 lines of 16-120 bytes every 7 ms, interleaved; each write becomes one TLS record "
             "(Nagle may put several records in one segment)",
}


def tshark(args):
    r = subprocess.run(["tshark", "-n"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return r.stdout.decode()


def follow_tls(pcap, keys):
    """Decrypted application data of TCP stream 0: {"ip:port": bytes sent by that endpoint}."""
    out = tshark(["-r", pcap, "-o", "tls.keylog_file:" + keys, "-o", "tcp.reassemble_out_of_order:TRUE",
                  "-q", "-z", "follow,tls,raw,0"])
    lines = out.split("\n")
    node0 = None
    data = {0: [], 1: []}
    started = False
    for ln in lines:
        if ln.startswith("Node 0: "):
            node0 = ln[len("Node 0: "):].strip()
            continue
        if ln.startswith("Node 1: "):
            started = True
            continue
        if not started:
            continue
        if ln.startswith("==="):
            break
        if not ln.strip():
            continue
        # tshark prints what node 1 sent indented by a tab (in tshark 4.0 "Node 1" itself is printed as ":0",
        # so only node 0's address is used).
        data[1 if ln.startswith("\t") else 0].append(bytes.fromhex(ln.strip()))
    return node0, b"".join(data[0]), b"".join(data[1])


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def count(pcap, keys, flt):
    out = tshark(["-r", pcap, "-o", "tls.keylog_file:" + keys, "-o", "tcp.reassemble_out_of_order:TRUE",
                  "-Y", flt, "-T", "fields", "-e", "frame.number"])
    return len([x for x in out.split("\n") if x.strip()])


def check_checksums(pcap):
    """Verifies every frame's IPv4 header and TCP checksums the way a receiver does (the ones' complement sum over
    the covered bytes, field included, must be 0xffff). Returns (bad frames, frames whose TCP checksum field is
    0xffff: the same value as 0x0000 in ones' complement, which Linux writes and tshark 4.0 wrongly calls bad)."""
    import struct
    data = open(pcap, "rb").read()
    if struct.unpack("<I", data[:4])[0] != 0xA1B2C3D4 or struct.unpack("<I", data[20:24])[0] != 1:
        raise SystemExit("analyze.py: %s is not a little-endian microsecond pcap with Ethernet link type" % pcap)

    def ok(b):
        if len(b) % 2:
            b += b"\0"
        t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
        while t >> 16:
            t = (t & 0xFFFF) + (t >> 16)
        return t == 0xFFFF

    off, n, bad, ffff = 24, 0, [], []
    while off < len(data):
        _, _, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        n += 1
        if pkt[12:14] != b"\x08\x00":
            continue
        ip = pkt[14:]
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        if not ok(bytes(ip[:ihl])):
            bad.append(n)
            continue
        if ip[9] != 6:
            continue
        seg = bytes(ip[ihl:tot])
        if not ok(ip[12:20] + b"\0\x06" + struct.pack("!H", len(seg)) + seg):
            bad.append(n)
        elif seg[16:18] == b"\xff\xff":
            ffff.append(n)
    return bad, ffff


def gap_analysis(rows, src):
    """rows: (frame, src, seq, len) in capture order; seq relative. Returns gap statistics for one direction."""
    segs = [(f, s, n) for (f, a, s, n) in rows if a == src and n > 0]
    if not segs:
        return {"data_segments": 0, "gaps": [], "gap_count": 0, "gap_bytes": 0, "late_fill_segments": 0,
                "duplicate_segments": 0, "bytes_never_seen": 0, "max_segment_payload": 0}
    end = max(s + n for _, s, n in segs)
    seen = bytearray(end + 1)
    highest = min(s for _, s, _ in segs)
    gaps = []          # [start, length, frame after which it is missing, frame where its first byte arrives]
    late = dup = 0
    for f, s, n in segs:
        if s > highest:
            gaps.append([highest, s - highest, f, None])
        old = seen[s:s + n].count(1)
        if old == n:
            dup += 1
        elif s < highest:
            late += 1   # brings bytes never seen before, below bytes already seen: a late retransmission
            for g in gaps:
                if g[3] is None and g[0] < s + n and s < g[0] + g[1]:
                    g[3] = f
        seen[s:s + n] = b"\x01" * n
        highest = max(highest, s + n)
    first = min(s for _, s, _ in segs)
    never = (end - first) - seen[first:end].count(1)
    return {"data_segments": len(segs), "gap_count": len(gaps), "gap_bytes": sum(g[1] for g in gaps),
            "late_fill_segments": late, "duplicate_segments": dup, "bytes_never_seen": never,
            "max_segment_payload": max(n for _, _, n in segs),
            "gaps": [{"rel_seq": g[0], "bytes": g[1], "missing_at_frame": g[2], "first_filled_at_frame": g[3]}
                     for g in gaps]}


def main():
    ap = argparse.ArgumentParser()
    for a in ("pcap", "keys", "name", "version", "suite", "workload", "c2s", "s2c", "client-ip", "server-ip", "out"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--server-port", type=int, required=True)
    ap.add_argument("--loss-pct", type=int, required=True)
    ap.add_argument("--nft-diverted", type=int, default=0)
    ap.add_argument("--sender-retrans", type=int, default=0)
    a = ap.parse_args()
    errors = []

    c2s = open(a.c2s, "rb").read()
    s2c = open(a.s2c, "rb").read()
    pcap, keys = a.pcap, a.keys

    # endpoints
    out = tshark(["-r", pcap, "-Y", "tcp.flags.syn==1 && tcp.flags.ack==0", "-T", "fields",
                  "-e", "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e", "tcp.dstport"]).split()
    if len(out) != 4:
        errors.append("expected exactly one SYN, got %r" % out)
        out = [a.client_ip, "0", a.server_ip, str(a.server_port)]
    client = "%s:%s" % (out[0], out[1])
    server = "%s:%s" % (out[2], out[3])
    if out[0] != a.client_ip or out[2] != a.server_ip or int(out[3]) != a.server_port:
        errors.append("unexpected endpoints %s -> %s" % (client, server))

    # version and suite from the ServerHello
    sh = tshark(["-r", pcap, "-Y", "tls.handshake.type==2", "-T", "fields", "-e", "tls.handshake.ciphersuite",
                 "-e", "tls.handshake.extensions.supported_version"]).strip().split("\t")
    iana, code, ossl = SUITES[(a.version, a.suite)]
    got_code = int(sh[0], 16) if sh and sh[0] else -1
    if got_code != code:
        errors.append("ServerHello suite %r, expected 0x%04X" % (sh, code))
    want_sv = "0x0304" if a.version == "13" else ""
    if (sh[1] if len(sh) > 1 else "") != want_sv:
        errors.append("ServerHello supported_version %r, expected %r" % (sh, want_sv))

    # decryption
    node0, d0, d1 = follow_tls(pcap, keys)
    if node0 == client:
        got_c2s, got_s2c = d0, d1
    elif node0 == server:
        got_c2s, got_s2c = d1, d0
    else:
        errors.append("tshark follow: node 0 %r is neither endpoint" % node0)
        got_c2s, got_s2c = d0, d1
    for label, want, got in (("client->server", c2s, got_c2s), ("server->client", s2c, got_s2c)):
        if want != got:
            errors.append("%s: tshark decrypted %d bytes sha256 %s, the generator sent %d bytes sha256 %s"
                          % (label, len(got), sha256(got), len(want), sha256(want)))

    # packets and TCP analysis
    rows = []
    for ln in tshark(["-r", pcap, "-T", "fields", "-e", "frame.number", "-e", "ip.src", "-e", "tcp.srcport",
                      "-e", "tcp.seq", "-e", "tcp.len", "-e", "frame.len", "-e", "frame.cap_len"]).split("\n"):
        if not ln.strip():
            continue
        f, ip, port, seq, n, flen, clen = ln.split("\t")
        if flen != clen:
            errors.append("frame %s truncated (%s of %s bytes)" % (f, clen, flen))
        if int(flen) > 1514:
            errors.append("frame %s is %s bytes, more than an Ethernet MTU frame" % (f, flen))
        rows.append((int(f), "%s:%s" % (ip, port), int(seq), int(n)))
    bad_csum, ffff_csum = check_checksums(pcap)
    if bad_csum:
        errors.append("frames with a bad IP or TCP checksum: %r" % bad_csum[:10])
    flags = {k: count(pcap, keys, "tcp.analysis." + k) for k in
             ("retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order", "lost_segment",
              "duplicate_ack")}
    flags["retransmission_with_payload"] = count(pcap, keys, "tcp.analysis.retransmission && tcp.len > 0")
    gc2s = gap_analysis(rows, client)
    gs2c = gap_analysis(rows, server)
    for label, g in (("client->server", gc2s), ("server->client", gs2c)):
        if g["bytes_never_seen"]:
            errors.append("%s: %d bytes never captured" % (label, g["bytes_never_seen"]))
        if any(x["first_filled_at_frame"] is None for x in g["gaps"]):
            errors.append("%s: a gap is never filled" % label)
    if a.loss_pct and gc2s["gap_count"] == 0:
        errors.append("lossy capture without any gap on the wire")
    if not a.loss_pct and (gc2s["gap_count"] or gs2c["gap_count"]):
        errors.append("clean capture with gaps")
    # A clean capture carries every data byte once, in order. (A retransmitted FIN at teardown is allowed.)
    if not a.loss_pct and (flags["retransmission_with_payload"] or flags["out_of_order"]
                           or gc2s["duplicate_segments"] or gs2c["duplicate_segments"]):
        errors.append("clean capture with a data retransmission (e.g. a tail loss probe): %r" % flags)

    # TLS records per direction (all content types, as tshark dissects them with the keys)
    recs = {client: 0, server: 0}
    for ln in tshark(["-r", pcap, "-o", "tls.keylog_file:" + keys, "-o", "tcp.reassemble_out_of_order:TRUE",
                      "-Y", "tls.record", "-T", "fields", "-e", "ip.src", "-e", "tcp.srcport",
                      "-e", "tls.record.length"]).split("\n"):
        if ln.strip():
            ip, port, lens = ln.split("\t")
            recs["%s:%s" % (ip, port)] = recs.get("%s:%s" % (ip, port), 0) + len(lens.split(","))

    if errors:
        for e in errors:
            print("analyze.py %s: %s" % (a.name, e), file=sys.stderr)
        return 1

    def direction(src, dst, pt, g):
        d = dict(src=src, dst=dst, plaintext_bytes=len(pt), plaintext_sha256=sha256(pt), tls_records=recs[src])
        d.update({k: g[k] for k in ("data_segments", "max_segment_payload", "gap_count", "gap_bytes",
                                    "late_fill_segments", "duplicate_segments")})
        d["gaps"] = g["gaps"]
        return d

    pcap_bytes = open(pcap, "rb").read()
    made_with = {
        "openssl": subprocess.run(["openssl", "version"], stdout=subprocess.PIPE).stdout.decode().strip(),
        "tshark": tshark(["--version"]).split("\n")[0],
        "tcpdump": subprocess.run(["tcpdump", "--version"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT).stdout.decode().split("\n")[0],
        "kernel": os.uname().release,
    }
    entry = {
        "name": a.name,
        "file": a.name + ".pcap",
        "keylog": a.name + ".keys",
        "file_bytes": len(pcap_bytes),
        "file_sha256": sha256(pcap_bytes),
        "format": "pcap (tcpdump -w), link type Ethernet (DLT_EN10MB), snaplen 262144 (-s 0), microsecond timestamps",
        "capture_point": "receiver side: tcpdump on the server's veth (%s)" % a.server_ip,
        "tls_version": "TLS 1.3" if a.version == "13" else "TLS 1.2",
        "tls_version_code": "0x0304" if a.version == "13" else "0x0303",
        "suite": a.suite,
        "cipher_suite": {"iana_name": iana, "code": "0x%04X" % code, "openssl_name": ossl},
        "workload": a.workload,
        "benchmark": a.workload == "bulk4m",
        "workload_description": WORKLOADS[a.workload],
        "loss_pct": a.loss_pct,
        "loss": ("none" if not a.loss_pct else
                 "%d%% of the client's data segments diverted at the client veth's netdev egress hook to a dead "
                 "veth (nft 'numgen random mod 100 < %d fwd'), so they never reach the wire; the sender's TCP "
                 "does not know and recovers by retransmission" % (a.loss_pct, a.loss_pct)),
        "packets": len(rows),
        "checksums": "every IPv4 header and TCP checksum verified (ones' complement sum = 0xffff)",
        "tcp_checksum_ffff_frames": ffff_csum,
        "tshark_tcp_analysis": flags,
        "retransmissions": flags["retransmission"],
        "sender_stats": {"nft_diverted_segments": a.nft_diverted, "client_tcp_retrans_segs": a.sender_retrans},
        "client": client,
        "server": server,
        "directions": {
            "client_to_server": direction(client, server, c2s, gc2s),
            "server_to_client": direction(server, client, s2c, gs2c),
        },
        "made_with": made_with,
        "verified": "tshark follow,tls,raw,0 with tcp.reassemble_out_of_order:TRUE decrypts both directions to exactly "
                    "these bytes",
    }
    with open(a.out, "w") as f:
        json.dump(entry, f, indent=2)
    print("%s: %d packets, %d retransmissions, c2s %d B in %d records, s2c %d B in %d records, gaps %d, diverted %d"
          % (a.name, len(rows), flags["retransmission"], len(c2s), recs[client], len(s2c), recs[server],
             gc2s["gap_count"], a.nft_diverted), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
