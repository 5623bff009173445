#!/usr/bin/env bash
# Regenerates the captures in pcaps/: real OpenSSL 3.0 peers (openssl s_client -> openssl s_server) in two network
# namespaces joined through a third one (wire.py: a 1 ms "cable"), captured with tcpdump on the receiver's
# (server's) veth, with the key logs OpenSSL wrote, the plaintext sizes/sha256 per direction, pcaps/manifest.json
# and the table in pcaps/README.md. Loss is injected on the client's netdev egress (see setup_net and README.md).
#
# Usage (as root):  pcaps/make-captures.sh [--only GLOB] [--loss PCT] [--tries N] [--keep-work]
#   --only GLOB   regenerate only the captures whose name matches the shell glob (the others keep their files and
#                 their manifest entries)
#   --loss PCT    share of the client's data segments lost on the wire in the "lossy" captures (default 2)
# Needs: openssl (3.0.x), python3, tcpdump, tshark, nft, ethtool, iproute2 (ip, ss, nstat), ping, taskset.
#   DEBIAN_FRONTEND=noninteractive apt-get install -y tcpdump tshark nftables ethtool iproute2 iputils-ping
#
# Idempotent: it removes whatever an earlier (even interrupted) run left (namespaces tlsnic-pc-srv/-cli/-wire, which
# hold the veths and the nft table), and its trap removes them again and ends the processes it started on any exit.
# Only the addresses 10.77.0.1/24 (server) and 10.77.0.2/24 (client) inside the namespaces are used.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
NS_S=tlsnic-pc-srv
NS_C=tlsnic-pc-cli
NS_W=tlsnic-pc-wire    # the "cable" between them (no addresses)
VETH_WC=tlpc-wc
VETH_WS=tlpc-ws
VETH_S=tlpc-srv        # server end, tcpdump listens here (the receiver side)
VETH_C=tlpc-cli        # client end, loss is injected on its egress
VETH_DEAD=tlpc-dead    # "wire to nowhere" in the client namespace: its peer is down, so whatever is sent on it is gone
VETH_DEADP=tlpc-deadp
SRV_IP=10.77.0.1
CLI_IP=10.77.0.2
PORT=4433
LOSS_PCT=2
DELAY_MS=1
# Both peers and the wire run on one CPU: a veth hands a packet to the backlog of the CPU that sends it, so a TCP
# sender that transmits from two CPUs at once (process context and ACK softirq) can reorder its own segments.
PIN="taskset -c 0"
TRIES=3
ONLY='*'
KEEP_WORK=0
ONE=()

while [ $# -gt 0 ]; do
    case "$1" in
        --only) ONLY=$2; shift 2 ;;
        --loss) LOSS_PCT=$2; shift 2 ;;
        --tries) TRIES=$2; shift 2 ;;
        --keep-work) KEEP_WORK=1; shift ;;
        --one) ONE=("$2" "$3" "$4" "$5" "$6"); shift 6 ;;   # internal: one capture, in a child process
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

[ "$(id -u)" = 0 ] || { echo "make-captures.sh: must run as root (network namespaces, nft, tcpdump)" >&2; exit 2; }
for tool in openssl python3 tcpdump tshark nft ethtool ip ss nstat ping taskset; do
    command -v "$tool" >/dev/null || { echo "make-captures.sh: missing $tool (see the header of this script)" >&2; exit 2; }
done

if [ ${#ONE[@]} -gt 0 ]; then
    WORK=${TLSNIC_PCAPS_WORK:?}
else
    WORK=$(mktemp -d /tmp/tlsnic-pcaps.XXXXXX)
fi
PIDS=()

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

kill_started() {
    local p
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && kill "$p" 2>/dev/null || true
    done
    for p in "${PIDS[@]:-}"; do
        [ -n "$p" ] && wait "$p" 2>/dev/null || true
    done
    PIDS=()
}

teardown_net() {
    # Deleting a namespace deletes its veths and its nft tables with it.
    ip netns del "$NS_C" 2>/dev/null || true
    ip netns del "$NS_S" 2>/dev/null || true
    ip netns del "$NS_W" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    kill_started
    teardown_net
    if [ ${#ONE[@]} -gt 0 ]; then :
    else
        # an interrupted run: the manifest must still match the files already replaced
        if [ -d "$HERE/.manifest.d" ] && declare -F write_manifest >/dev/null; then write_manifest || true; fi
        rm -rf "$HERE/.manifest.d"
    fi
    if [ ${#ONE[@]} -gt 0 ]; then :
    elif [ "$KEEP_WORK" = 1 ]; then log "work files kept in $WORK"; else rm -rf "$WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setup_net() { # $1 = loss percent (0 = clean)
    local loss=$1 n
    teardown_net
    ip netns add "$NS_S"
    ip netns add "$NS_C"
    ip netns add "$NS_W"
    # client [tlpc-cli] ==veth== [tlpc-wc] wire.py [tlpc-ws] ==veth== [tlpc-srv] server
    ip link add "$VETH_C" netns "$NS_C" type veth peer name "$VETH_WC" netns "$NS_W"
    ip link add "$VETH_S" netns "$NS_S" type veth peer name "$VETH_WS" netns "$NS_W"
    ip -n "$NS_S" addr add "$SRV_IP/24" dev "$VETH_S"
    ip -n "$NS_C" addr add "$CLI_IP/24" dev "$VETH_C"
    for n in "$NS_S:$VETH_S" "$NS_C:$VETH_C" "$NS_W:$VETH_WC" "$NS_W:$VETH_WS"; do
        ip -n "${n%%:*}" link set lo up
        # No offloads: software segmentation and checksums, so the capture holds wire-sized (<= MTU) segments
        # with valid checksums, as a NIC would see them. gso_max_segs 1 makes TCP hand the device one MSS per
        # packet, so that the loss rule below drops single wire segments, not whole GSO bursts.
        ip netns exec "${n%%:*}" ethtool -K "${n#*:}" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
        ip -n "${n%%:*}" link set dev "${n#*:}" gso_max_segs 1
        ip -n "${n%%:*}" link set "${n#*:}" up
    done
    # The "cable": wire.py copies frames between the two veths of the middle namespace with a fixed delay (this
    # kernel has no netem), so the path has a 2 ms RTT instead of ~20 us. It also lets tshark tell a late
    # retransmission from reordering: it calls a segment that fills a gap "out-of-order" when it comes less than
    # the handshake RTT after the highest segment, which is nearly always the case at zero delay.
    rm -f "$WORK/wire.ready"
    ip netns exec "$NS_W" $PIN python3 "$HERE/wire.py" "$VETH_WC" "$VETH_WS" --delay-ms "$DELAY_MS" \
        --ready-file "$WORK/wire.ready" 2>>"$WORK/wire.log" &
    PIDS+=("$!")
    wait_for 10 test -e "$WORK/wire.ready" || { log "wire.py did not start"; return 1; }
    # Static neighbours (no ARP inside the capture) and a warm-up ping through the wire, so that the handshake
    # RTT tshark measures (SYN -> ACK) is the path's RTT.
    ip -n "$NS_C" neigh replace "$SRV_IP" lladdr "$(ip netns exec "$NS_S" cat "/sys/class/net/$VETH_S/address")" dev "$VETH_C" nud permanent
    ip -n "$NS_S" neigh replace "$CLI_IP" lladdr "$(ip netns exec "$NS_C" cat "/sys/class/net/$VETH_C/address")" \
        dev "$VETH_S" nud permanent
    ip netns exec "$NS_C" ping -q -c 3 -i 0.2 -W 1 "$SRV_IP" >/dev/null
    if [ "$loss" != 0 ]; then
        ip link add "$VETH_DEAD" netns "$NS_C" type veth peer name "$VETH_DEADP" netns "$NS_C"
        ip netns exec "$NS_C" ethtool -K "$VETH_DEAD" tso off gso off tx off >/dev/null 2>&1 || true
        ip -n "$NS_C" link set "$VETH_DEAD" up   # its peer stays down: the veth drops every packet sent on it
        # Loss on the wire: a random share of the client's TCP segments that carry data (IP total length > 80:
        # a pure ACK, even with timestamps and three SACK blocks, is at most 80 bytes; every data segment of these
        # workloads is longer) is diverted at the netdev egress hook of the client's veth to the dead veth.
        # "fwd" steals the packet (NF_STOLEN -> NET_XMIT_SUCCESS), so the sender's TCP believes it was sent and
        # only learns of the loss from the receiver (dup ACKs/SACK, RACK, RTO), exactly like loss on a cable.
        # A plain "drop" here would NOT do: the drop is reported back to TCP (NET_XMIT_DROP), which keeps the
        # segment and resends it at once, so the receiver never sees a gap.
        ip netns exec "$NS_C" nft -f - <<EOF
table netdev tlsnic_loss {
    chain egress {
        type filter hook egress device "$VETH_C" priority 0; policy accept;
        ip protocol tcp ip length > 80 numgen random mod 100 < $loss counter fwd to "$VETH_DEAD"
    }
}
EOF
    fi
}

wait_for() { # $1 = seconds, rest = command that must succeed
    local t=$1; shift
    local end=$((SECONDS + t))
    until "$@" >/dev/null 2>&1; do
        [ $SECONDS -lt $end ] || return 1
        sleep 0.05
    done
}

# name version suite workload loss
# suites: aes128gcm aes256gcm chacha20; workloads: bulk (1 MiB c->s), bulk4m (4 MiB c->s), small (many small writes)
captures() {
    local v s w l
    for v in 12 13; do
        for s in aes128gcm aes256gcm chacha20; do
            for w in bulk small; do
                for l in clean lossy; do
                    # this cell is the 4 MiB benchmark capture below (a 1 MiB one too would break the 20 MB budget)
                    [ "$v-$s-$w-$l" = 13-aes128gcm-bulk-clean ] && continue
                    echo "tls$v-$s-$w-$l $v $s $w $l"
                done
            done
        done
    done
    echo "tls13-aes128gcm-bulk4m-clean 13 aes128gcm bulk4m clean"
}

suite_opts() { # version suite -> openssl options (same for both peers)
    case "$1-$2" in
        13-aes128gcm) echo "-tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256" ;;
        13-aes256gcm) echo "-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384" ;;
        13-chacha20)  echo "-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256" ;;
        12-aes128gcm) echo "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256" ;;
        12-aes256gcm) echo "-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384" ;;
        12-chacha20)  echo "-tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305" ;;
    esac
}

one_capture() { # name version suite workload lossname -> 0 if the capture is good and installed
    local name=$1 ver=$2 suite=$3 wl=$4 lossname=$5
    local d="$WORK/$name" loss=0 pat opts
    rm -rf "$d"; mkdir -p "$d"
    [ "$lossname" = lossy ] && loss=$LOSS_PCT
    [ "$ver" = 13 ] && pat=CLIENT_TRAFFIC_SECRET_0 || pat=CLIENT_RANDOM
    opts=$(suite_opts "$ver" "$suite")

    # Workload arguments. Seeds depend on the workload only, so every suite carries the same plaintext.
    local cgen sgen
    case "$wl" in
        bulk|bulk4m)
            local nbytes=1048576; [ "$wl" = bulk4m ] && nbytes=4194304
            # the server answers first with 8 KiB, then the client sends its bulk
            sgen="bulk --seed $wl-s2c --bytes 8192"
            cgen="bulk --seed $wl-c2s --bytes $nbytes --pre-delay-ms 200 --post-delay-ms 300" ;;
        small)
            # many small writes both ways, interleaved: one os.write per line, one line per TLS record
            sgen="lines --seed small-s2c --count 120 --min 16 --max 120 --interval-ms 7 --pre-delay-ms 100"
            cgen="lines --seed small-c2s --count 400 --min 16 --max 160 --interval-ms 3 --pre-delay-ms 100 --post-delay-ms 500" ;;
    esac

    setup_net "$loss" || return 1
    if [ "$wl" = small ]; then
        # Immediate ACKs on both hosts (route attribute quickack): with 40 ms delayed ACKs, Nagle and a 2 ms RTT,
        # the sender's tail loss probe fires before the ACK and puts spurious retransmissions in clean captures.
        ip -n "$NS_S" route replace 10.77.0.0/24 dev "$VETH_S" src "$SRV_IP" quickack 1
        ip -n "$NS_C" route replace 10.77.0.0/24 dev "$VETH_C" src "$CLI_IP" quickack 1
    fi
    mkfifo "$d/srv_in" "$d/cli_in"

    ip netns exec "$NS_S" tcpdump -i "$VETH_S" -s 0 -B 65536 --immediate-mode -U -n -w "$d/cap.pcap" "tcp port $PORT" 2>"$d/tcpdump.err" &
    local td=$!; PIDS+=("$td")
    wait_for 10 grep -q 'listening on' "$d/tcpdump.err" || { log "$name: tcpdump did not start"; return 1; }

    # shellcheck disable=SC2086
    python3 "$HERE/workload.py" $sgen --tee "$d/s2c.bin" --wait-file "$d/srv.keys" --wait-for "$pat" \
        --hold-s 120 >"$d/srv_in" &
    local gs=$!; PIDS+=("$gs")
    # shellcheck disable=SC2086
    ip netns exec "$NS_S" $PIN openssl s_server -accept "$PORT" -naccept 1 -quiet -cert "$WORK/cert.pem" \
        -key "$WORK/key.pem" $opts -keylogfile "$d/srv.keys" <"$d/srv_in" >"$d/srv.out" 2>"$d/srv.err" &
    local sv=$!; PIDS+=("$sv")
    wait_for 10 sh -c "ip netns exec $NS_S ss -Hltn 'sport = :$PORT' | grep -q ." || { log "$name: s_server did not listen"; return 1; }

    # shellcheck disable=SC2086
    python3 "$HERE/workload.py" $cgen --tee "$d/c2s.bin" --wait-file "$d/cli.keys" --wait-for "$pat" \
        >"$d/cli_in" &
    local gc=$!; PIDS+=("$gc")
    # shellcheck disable=SC2086
    ip netns exec "$NS_C" $PIN timeout 120 openssl s_client -connect "$SRV_IP:$PORT" -quiet -no_ign_eof \
        -nocommands $opts -keylogfile "$d/cli.keys" <"$d/cli_in" >"$d/cli.out" 2>"$d/cli.err" &
    local cl=$!; PIDS+=("$cl")
    # (waiting on a background job, not a foreground one, lets the TERM/INT trap run at once)
    if ! wait "$cl"; then
        log "$name: s_client failed: $(tail -3 "$d/cli.err" | tr '\n' ' ')"
    fi
    local i
    for i in $(seq 1 200); do kill -0 "$sv" 2>/dev/null || break; sleep 0.05; done
    sleep 0.5   # let the last FIN/ACKs reach tcpdump
    kill -INT "$td" 2>/dev/null || true
    wait "$td" 2>/dev/null || true
    local fwd=0
    if [ "$loss" != 0 ]; then
        fwd=$(ip netns exec "$NS_C" nft list table netdev tlsnic_loss | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
    fi
    local retrans_sent
    retrans_sent=$(ip netns exec "$NS_C" nstat -az TcpRetransSegs 2>/dev/null | awk '$1=="TcpRetransSegs"{print $2}')
    kill_started
    teardown_net
    log "$name: $(tail -1 "$WORK/wire.log"); tcpdump: $(grep -h 'dropped by kernel' "$d/tcpdump.err")"
    local got seen
    got=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$d/tcpdump.err")
    seen=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter.*/\1/p' "$d/tcpdump.err")
    if ! grep -q '^0 packets dropped by kernel' "$d/tcpdump.err" || [ -z "$got" ] || [ "$got" != "$seen" ]; then
        log "$name: tcpdump lost packets ($got captured, $seen received by the filter)"; return 1
    fi

    # What the server printed must be what the client's generator sent (the peers themselves agree).
    if ! cmp -s "$d/srv.out" "$d/c2s.bin"; then
        log "$name: s_server output differs from the client's plaintext ($(stat -c %s "$d/srv.out") bytes)"; return 1
    fi
    # Both peers logged the same secrets.
    if ! diff <(grep -v '^#' "$d/cli.keys" | sort) <(grep -v '^#' "$d/srv.keys" | sort) >/dev/null; then
        log "$name: client and server key logs differ"; return 1
    fi
    python3 "$HERE/analyze.py" --pcap "$d/cap.pcap" --keys "$d/cli.keys" --name "$name" --version "$ver" \
        --suite "$suite" --workload "$wl" --loss-pct "$loss" --c2s "$d/c2s.bin" --s2c "$d/s2c.bin" \
        --client-ip "$CLI_IP" --server-ip "$SRV_IP" --server-port "$PORT" --nft-diverted "$fwd" \
        --sender-retrans "${retrans_sent:-0}" --out "$d/entry.json" || return 1
    cp "$d/cap.pcap" "$HERE/$name.pcap"
    cp "$d/cli.keys" "$HERE/$name.keys"
    cp "$d/entry.json" "$HERE/.manifest.d/$name.json"
    return 0
}

if [ ${#ONE[@]} -gt 0 ]; then
    # A child process per capture, so that "set -e" is in force inside one_capture.
    one_capture "${ONE[@]}"
    exit 0
fi

mkdir -p "$HERE/.manifest.d"
# Seed the per-capture entries from the existing manifest, so --only keeps the other captures' entries.
if [ -f "$HERE/manifest.json" ]; then
    python3 - "$HERE/manifest.json" "$HERE/.manifest.d" <<'EOF'
import json, os, sys
m = json.load(open(sys.argv[1]))
for c in m.get("captures", []):
    if not os.path.exists(os.path.join(os.path.dirname(sys.argv[1]), c["file"])):
        continue
    p = os.path.join(sys.argv[2], c["name"] + ".json")
    if not os.path.exists(p):
        json.dump(c, open(p, "w"), indent=2)
EOF
fi

write_manifest() { # manifest.json and the table in README.md from the per-capture entries
python3 - "$HERE" <<'EOF'
import glob, json, os, sys
here = sys.argv[1]
entries = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(here, ".manifest.d", "*.json")))]
manifest = {
    "description": "Captures of real OpenSSL peers for tlsnic replay tests; see pcaps/README.md",
    "generator": "pcaps/make-captures.sh",
    "captures": sorted(entries, key=lambda e: (e["workload"] == "bulk4m", e["tls_version"], e["suite"], e["workload"], e["loss_pct"])),
}
with open(os.path.join(here, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
# the table in README.md
rows = ["| capture | TLS | cipher suite | workload | loss | packets | retrans. (tshark) | lost seg. (tshark) "
        "| late fills | c->s / s->c plaintext | records c->s / s->c | size |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|"]
for e in manifest["captures"]:
    c2s, s2c = e["directions"]["client_to_server"], e["directions"]["server_to_client"]
    t = e["tshark_tcp_analysis"]
    rows.append("| `%s` | %s | %s (%s) | %s | %s | %d | %d | %d | %d | %d / %d B | %d / %d | %.2f MB |" % (
        e["name"], e["tls_version"][4:], e["cipher_suite"]["iana_name"], e["cipher_suite"]["code"], e["workload"],
        "%d %%" % e["loss_pct"] if e["loss_pct"] else "clean", e["packets"], t["retransmission"],
        t["lost_segment"], c2s["late_fill_segments"], c2s["plaintext_bytes"], s2c["plaintext_bytes"],
        c2s["tls_records"], s2c["tls_records"], e["file_bytes"] / 1e6))
readme = os.path.join(here, "README.md")
text = open(readme).read()
b = text.index("<!-- captures-table:begin")
b = text.index("\n", b) + 1
en = text.index("<!-- captures-table:end -->")
open(readme, "w").write(text[:b] + "\n".join(rows) + "\n" + text[en:])
EOF
}

log "server certificate (throwaway, not kept)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 30 \
    -subj /CN=tlsnic-pcaps >/dev/null 2>&1

failed=()
while read -r name ver suite wl lossname; do
    # shellcheck disable=SC2053
    [[ $name == $ONLY ]] || continue
    ok=0
    for t in $(seq 1 "$TRIES"); do
        log "$name (try $t)"
        TLSNIC_PCAPS_WORK=$WORK bash "$0" --loss "$LOSS_PCT" --one "$name" "$ver" "$suite" "$wl" "$lossname" &
        child=$!; PIDS=("$child")
        if wait "$child"; then ok=1; PIDS=(); break; fi
        PIDS=()
    done
    [ $ok = 1 ] || failed+=("$name")
    # after every capture, so that an interrupted run leaves a manifest that matches the files
    write_manifest
done < <(captures)

total=$(du -sb "$HERE" | cut -f1)
log "pcaps/ holds $total bytes ($(du -sh "$HERE" | cut -f1))"
if [ "$total" -ge 20000000 ]; then log "pcaps/ is over its 20 MB budget"; failed+=("size-budget"); fi
if [ ${#failed[@]} -gt 0 ]; then log "FAILED: ${failed[*]}"; exit 1; fi
log "all captures made and verified"
