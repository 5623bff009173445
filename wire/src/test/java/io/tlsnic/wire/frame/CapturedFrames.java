package io.tlsnic.wire.frame;

import java.util.HexFormat;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * Real frames copied byte for byte from the captures in {@code vectors/external-pcaps/} (packet numbers count from
 * 1, as Wireshark shows them). Field values the tests assert were checked by hand against the hex.
 */
final class CapturedFrames
{
    /**
     * zeek-tls12-decryption.pcap #1 (74 bytes): client SYN with MSS, SACK permitted, timestamps, NOP, window scale;
     * captured before TX checksum offload, so the TCP checksum field holds only the pseudo-header sum.
     */
    static final String ZEEK_TLS12_SYN =
        "00163ee0137d00163efddbe108004500003c6115400040066304c0a86446c1639050bc5801bb280742bf00000000a002" +
        "faf076d10000020405b40402080a7d4e6ccc0000000001030307";

    /** zeek-tls12-decryption.pcap #2 (74 bytes): server SYN-ACK, checksums complete. */
    static final String ZEEK_TLS12_SYN_ACK =
        "00163efddbe100163ee0137d08004500003c0000000035060f1ac1639050c0a8644601bbbc5876cd8d91280742c0a012" +
        "fe88884a0000020405b40402080a93529fd27d4e6ccc01030307";

    /**
     * zeek-tls12-decryption.pcap #9 (340 bytes): server NewSessionTicket, ChangeCipherSpec, Finished: three records in
     * one segment, checksums complete.
     */
    static final String ZEEK_TLS12_SERVER_FLIGHT =
        "00163efddbe100163ee0137d0800450001468b7d000035068292c1639050c0a8644601bbbc5876cd98ba280745228018" +
        "01fa029c00000101080a9352a00e7d4e6d0716030300da040000d60000012c00d05fffa530d217cb96ee271a8fa7ec01" +
        "7f2e6edc5d646c4f00605b66b120747d4bf26cbf77ce186fe286cadb925c73f3ca0604f8933b7982b19a6259822ce925" +
        "55b290c1ce7e51fcd721f5116ccf944a87cfd8d8638d4ee588376cb7af6b43d63b795b93852a2de835a338311c51634a" +
        "4f4d009d56527fda1f476655dfd1a64d8bb6c9f97bcb5375e389a80e7fd0852a1db419d4e7cb82289cc6f47c55f9ad3a" +
        "16591c37e2fbc2d949373d5411ce2dc2fe7dd22850dc9db48fd8a14b020fa943bc5f0dd610786454a536cbf0fa77a363" +
        "f8140303000101160303002841d5a35321c0b265fdf5d9946d9852f6bc7da995870dc79c8b3208d657f3bb95512801b4" +
        "428bdab3";

    /**
     * zeek-tls12-decryption.pcap #13 (97 bytes): client close_notify alert record, pseudo-header sum only in the TCP
     * checksum field.
     */
    static final String ZEEK_TLS12_CLIENT_ALERT =
        "00163ee0137d00163efddbe1080045000053611c4000400662e6c0a86446c1639050bc5801bb2807468276cd9c438018" +
        "01f576e800000101080a7d4e70429352a03c150303001a00000000000000023e6500e14042f54f71343f9ee3f4a1c5b8" +
        "b9";

    /**
     * illustrated-tls13.pcap #1 (68 bytes): DLT_NULL loopback: 4-byte family word (2 = AF_INET, host order) then IPv4;
     * no checksums on loopback.
     */
    static final String ILLUSTRATED_TLS13_SYN_LOOPBACK =
        "020000004500004000004000400600007f0000017f000001e75320d0794ea8ba00000000b002fffffe34000002043fd8" +
        "010303060101080aba6687d90000000004020000";

    /**
     * ws-tls13-rfc8446.pcap #3 (130 bytes): client ChangeCipherSpec and encrypted Finished, ECN ECT(0) in the TOS
     * byte.
     */
    static final String WS_TLS13_CCS_AND_APP_DATA =
        "927639bec1818a7d409e521b080045020074cb60400040065b0d0a0900010a090002959001bb1805ae151b042e238018" +
        "00ee147b00000101080a8e11fee29456cad0140303000101170303003592f6bc7755d670ae91832e2ff5ac6137191f82" +
        "113c20584376c4d4431d65568403f3f5bf388ae95dd184c5c0d475a6fdb3b89f13a8";

    private CapturedFrames()
    {
    }

    /** @return a heap store over the bytes of {@code hex}; nothing to release. */
    static BytesStore<?, byte[]> store(final String hex)
    {
        return BytesStore.wrap(HexFormat.of().parseHex(hex));
    }
}
