#!/bin/sh
# Regenerates external-pcaps-expected.json: the application plaintext tshark decrypts from each capture in
# vectors/external-pcaps/, per TCP stream and direction (client = node 0, server = node 1), as byte count and SHA-256.
# Run from the repository root with tshark 4.0.x installed:  sh harness/src/test/resources/external-pcaps-expected.sh
set -eu
dir=vectors/external-pcaps
out=harness/src/test/resources/external-pcaps-expected.json
tshark_version=$(tshark -v | head -1)
first=1
printf '{\n  "tshark": "%s",\n  "captures": [\n' "$tshark_version" > "$out"
for pcap in "$dir"/*.pcap; do
  base=$(basename "$pcap" .pcap)
  if [ -f "$dir/$base.keys" ]; then
    keyopt="tls.keylog_file:$dir/$base.keys"; cliopt="--keylog $dir/$base.keys"
  else
    psk=$(tr -d ' \n' < "$dir/$base.psk"); keyopt="tls.psk:$psk"; cliopt="--psk $psk"
  fi
  streams=$(tshark -r "$pcap" -T fields -e tcp.stream 2>/dev/null | sort -un)
  for n in $streams; do
    cmd="tshark -r $pcap -o $keyopt -o tcp.reassemble_out_of_order:TRUE -q -z follow,tls,raw,$n"
    $cmd 2>/dev/null > /tmp/follow.$$
    # tshark prints node 0's data flush left and node 1's after a tab; node 0 is not always the client.
    node0=$(sed -n 's/^Node 0: //p' /tmp/follow.$$)
    hello=$(tshark -r "$pcap" -Y "tcp.stream eq $n && tls.handshake.type == 1" -T fields -e ip.src -e tcp.srcport 2>/dev/null | head -1 | tr '\t' ':')
    untabbed=$(sed -n '/^Node 1:/,/^====/p' /tmp/follow.$$ | grep -v -E '^(Node|====)' | grep -v '^	' | tr -d '\n')
    tabbed=$(sed -n '/^Node 1:/,/^====/p' /tmp/follow.$$ | grep -v -E '^(Node|====)' | grep '^	' | tr -d '\t\n')
    if [ "$node0" = "$hello" ]; then client=$untabbed; server=$tabbed; else client=$tabbed; server=$untabbed; fi
    csha=$(printf '%s' "$client" | xxd -r -p | sha256sum | cut -d' ' -f1)
    ssha=$(printf '%s' "$server" | xxd -r -p | sha256sum | cut -d' ' -f1)
    [ $first -eq 1 ] || printf ',\n' >> "$out"; first=0
    printf '    {"capture": "%s", "keyArgs": "%s", "tcpStream": %s, "client": "%s", "clientBytes": %s, "clientSha256": "%s", "serverBytes": %s, "serverSha256": "%s",\n     "command": "%s"}' \
      "$base.pcap" "$cliopt" "$n" "$hello" $(( ${#client} / 2 )) "$csha" $(( ${#server} / 2 )) "$ssha" "$cmd" >> "$out"
  done
done
printf '\n  ]\n}\n' >> "$out"
rm -f /tmp/follow.$$
