#!/usr/bin/env bash
# Checks every capture listed in pcaps/manifest.json against the manifest, with tshark only:
#   - the .pcap file's size and sha256, its packet count;
#   - decrypted with its key log (tshark -o tls.keylog_file:K -o tcp.reassemble_out_of_order:TRUE
#     -q -z follow,tls,raw,0), each direction's plaintext has the manifest's size and sha256.
# Usage: pcaps/verify-with-tshark.sh [GLOB]   (default: all captures; GLOB matches capture names)
# Needs tshark (apt-get install -y tshark) and python3. No root needed. Exit 0 only if every capture checks out.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
command -v tshark >/dev/null || { echo "verify-with-tshark.sh: tshark is missing (apt-get install -y tshark)" >&2; exit 2; }
exec python3 - "$HERE" "${1:-*}" <<'EOF'
import fnmatch, hashlib, json, os, subprocess, sys
here, glob = sys.argv[1], sys.argv[2]
sys.path.insert(0, here)
sys.dont_write_bytecode = True  # no __pycache__ in pcaps/
from analyze import follow_tls  # the same parser make-captures.sh used

m = json.load(open(os.path.join(here, "manifest.json")))
passed = failed = 0
for c in m["captures"]:
    if not fnmatch.fnmatchcase(c["name"], glob):
        continue
    pcap, keys = os.path.join(here, c["file"]), os.path.join(here, c["keylog"])
    errs = []
    raw = open(pcap, "rb").read()
    if len(raw) != c["file_bytes"] or hashlib.sha256(raw).hexdigest() != c["file_sha256"]:
        errs.append("file size/sha256 differ from the manifest")
    n = subprocess.run(["tshark", "-n", "-r", pcap, "-T", "fields", "-e", "frame.number"], check=True,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.split()
    if len(n) != c["packets"]:
        errs.append("%d packets, manifest says %d" % (len(n), c["packets"]))
    node0, d0, d1 = follow_tls(pcap, keys)
    by_src = {node0: d0}
    other = c["server"] if node0 == c["client"] else c["client"]
    by_src[other] = d1
    got = []
    for key in ("client_to_server", "server_to_client"):
        d = c["directions"][key]
        pt = by_src.get(d["src"], b"")
        h = hashlib.sha256(pt).hexdigest()
        if len(pt) != d["plaintext_bytes"] or h != d["plaintext_sha256"]:
            errs.append("%s: decrypted %d bytes sha256 %s, manifest %d bytes sha256 %s"
                        % (key, len(pt), h, d["plaintext_bytes"], d["plaintext_sha256"]))
        got.append("%s %d B %s" % ("c2s" if key.startswith("client") else "s2c", len(pt), h[:12]))
    if errs:
        failed += 1
        print("FAIL %s: %s" % (c["name"], "; ".join(errs)))
    else:
        passed += 1
        print("ok   %-32s %s, %s, %d packets, %s" % (c["name"], c["tls_version"], c["cipher_suite"]["iana_name"],
                                                    c["packets"], ", ".join(got)))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed or not passed else 0)
EOF
