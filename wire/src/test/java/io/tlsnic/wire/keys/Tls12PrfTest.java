package io.tlsnic.wire.keys;

import static io.tlsnic.wire.testing.Vectors.aesGcmOpen;
import static io.tlsnic.wire.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.SecretKeyFactory;

import io.tlsnic.wire.testing.Vectors;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.tls.TlsVersion;
import org.bouncycastle.jcajce.spec.TLSKeyMaterialSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class Tls12PrfTest
{
    private static final int HEADER_LENGTH = 5;
    private static final int EXPLICIT_NONCE_LENGTH = 8;
    private static final int TAG_LENGTH = 16;

    /** zeek-tls12-decryption.pcap, packet 4 (ClientHello), random at offset 11 of the TCP payload. */
    private static final byte[] ZEEK_CLIENT_RANDOM =
        hex("4d98940fb40a244b48e42eac287144b1b7393057caa131f961a78e38b0e77c1e");
    /** zeek-tls12-decryption.pcap, packet 6 (ServerHello, suite 0xc030). */
    private static final byte[] ZEEK_SERVER_RANDOM =
        hex("1a53a25de65a4d2d7b2c4148ea48a74d103ad79d730ea6ce51960adc8d80d943");
    /** zeek-tls12-decryption.pcap, packet 10: the client's first application-data record, whole (352 bytes). */
    private static final byte[] ZEEK_CLIENT_FIRST_APPLICATION_RECORD = hex(""
        + "170303015b000000000000000171f7b367a259a51c24c3c4eb9552f658e4ca05e63c2e38e2027b2a68c217362332e67a"
        + "77548a1aaf5a44e3678fd30e0bf065d837cf5f94222f8c3603f4c3036cb1636b6dc54b5c915ee071d88fcc24851d1f0b"
        + "2cb1c9115301d9bad99d374fe297454cf246997e326870d224b0c46584fcc3919d01277a67f61b2ef034343800e57344"
        + "f7d8a51e0b5531b9d3fbaa937e7f77a9acb6440189645a42b86eae20f252dbb5acb66023460557e02d961db1a79345b6"
        + "2910f56bd8cdce068dbc8aa795862df0ab35da1a8d60965e5bc1d9beb3bdbad4b8d4bbfb9651d9603a23e741aa5d9e0a"
        + "a245b8a59b49a5428817bb36de96511503e62a30060102052bfe406b1b69463b1f0b5c42372116c7c96a50bdedfbcba2"
        + "c23007c5cbd2585a2609fbc0feb4b3b6609603dd604034bc88a6792ef771199cc7b5c3efb13572c23cce29f233ce52cd"
        + "8286708063f723653033c24c48fd6a5c");

    /** ws-tls12-aes256gcm.pcap, packet 1 (ClientHello, no extended_master_secret extension). */
    private static final byte[] WS_CLIENT_RANDOM =
        hex("588e60d1d96bad5f1fcf0b8818466257d73385bdaaed0ac4bfd7228a6da059ad");
    /** ws-tls12-aes256gcm.pcap, packet 2 (ServerHello, TLS_PSK_WITH_AES_256_GCM_SHA384, no EMS). */
    private static final byte[] WS_SERVER_RANDOM =
        hex("588e604be7861c80c200a2394e0c536fd23858f60f1f7bd71b323a8d418c9260");
    /** ws-tls12-aes256gcm.pcap, packet 3, third record: the client's Finished, record number 0. */
    private static final byte[] WS_CLIENT_FINISHED_RECORD = hex(
        "16030300280000000000000000" + "9041be8e2926c803f5304d3500a3e2a548bb59c6c3ead997df9cc8c0b48b25ee");
    /** ws-tls12-aes256gcm.pcap, packet 5: the client's first application-data record, record number 1. */
    private static final byte[] WS_CLIENT_FIRST_APPLICATION_RECORD = hex(
        "17030300270000000000000001f38fbb39806702bbb433a5f6d48fd71de7897940b2898b2aaf4f56471e807e");

    @Test
    void shouldMatchThePublishedPrfSha256Vector()
    {
        assertArrayEquals(
            hex("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9"
                + "c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789ba"
                + "a48082d122ee42c5a72e5a5110fff70187347b66"),
            Tls12Prf.prf(HashAlgorithm.SHA_256, hex("9bbe436ba940f017b17652849a71db35"), "test label",
                hex("a0ba9f936cda311827a6f796ffd5198c"), 100));
    }

    @Test
    void shouldMatchThePublishedPrfSha384Vector()
    {
        assertArrayEquals(
            hex("7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534"
                + "cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd"
                + "4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f"),
            Tls12Prf.prf(HashAlgorithm.SHA_384, hex("b80b733d6ceefcdc71566ea48e5567df"), "test label",
                hex("cd665cf6a8447dd6ff8b27555edb7465"), 148));
    }

    @Test
    void shouldAgreeWithBouncyCastleTlsKdfForRandomInputs() throws GeneralSecurityException
    {
        final Random random = new Random(8448);
        final BouncyCastleProvider bc = new BouncyCastleProvider();
        final String[][] cases = {{"TLS12WITHSHA256KDF", "SHA_256"}, {"TLS12WITHSHA384KDF", "SHA_384"}};
        for (final String[] c : cases)
        {
            final SecretKeyFactory bcPrf = SecretKeyFactory.getInstance(c[0], bc);
            final HashAlgorithm hash = HashAlgorithm.valueOf(c[1]);
            for (int i = 0; i < 50; i++)
            {
                final byte[] secret = new byte[1 + random.nextInt(64)];
                final byte[] seed = new byte[random.nextInt(80)];
                random.nextBytes(secret);
                random.nextBytes(seed);
                // BC returns the output as a key, which cannot be empty.
                final int length = 1 + random.nextInt(200);
                final String label = i % 2 == 0 ? "key expansion" : "master secret";
                assertArrayEquals(
                    bcPrf.generateSecret(new TLSKeyMaterialSpec(secret, label, length, seed)).getEncoded(),
                    Tls12Prf.prf(hash, secret, label, seed, length),
                    c[0] + " case " + i);
            }
        }
    }

    @Test
    void shouldReturnAPrefixOfTheLongerOutputForAShorterLength()
    {
        final byte[] secret = hex("9bbe436ba940f017b17652849a71db35");
        final byte[] seed = hex("a0ba9f936cda311827a6f796ffd5198c");
        final byte[] longer = Tls12Prf.prf(HashAlgorithm.SHA_256, secret, "test label", seed, 100);
        for (final int length : new int[] {0, 1, 31, 32, 33, 64, 99})
        {
            assertArrayEquals(Arrays.copyOf(longer, length),
                Tls12Prf.prf(HashAlgorithm.SHA_256, secret, "test label", seed, length));
        }
    }

    @Test
    void shouldDecryptTheZeekCaptureFirstClientRecordWithTheDerivedKeyBlock()
        throws IOException, GeneralSecurityException
    {
        final KeyLog keyLog = KeyLog.read(Vectors.file("external-pcaps/zeek-tls12-decryption.keys"));
        final byte[] masterSecret = keyLog.secret(KeyLog.CLIENT_RANDOM, ZEEK_CLIENT_RANDOM).orElseThrow();
        final Tls12Prf.KeyBlock keyBlock = Tls12Prf.keyBlock(
            HashAlgorithm.SHA_384, TlsCipher.AES_GCM_256, masterSecret, ZEEK_CLIENT_RANDOM, ZEEK_SERVER_RANDOM);
        assertEquals(32, keyBlock.client().keyLength());
        assertEquals(4, keyBlock.client().ivLength());

        final byte[] plaintext = openTls12GcmRecord(keyBlock.client(), ZEEK_CLIENT_FIRST_APPLICATION_RECORD, 1);
        assertTrue(new String(plaintext, StandardCharsets.US_ASCII).startsWith("GET / HTTP/1.1\r\nHost: "),
            "plaintext starts with an HTTP request");

        // Firefox (NSS) uses the record number as explicit nonce: the crypto_info convention of CryptoInfo.
        final CryptoInfo cryptoInfo = keyBlock.client().toCryptoInfo(TlsVersion.TLS_1_2, TlsCipher.AES_GCM_256, 1);
        assertArrayEquals(Arrays.copyOfRange(ZEEK_CLIENT_FIRST_APPLICATION_RECORD, 5, 13), cryptoInfo.iv());
        assertArrayEquals(keyBlock.client().iv(), cryptoInfo.salt());
        keyBlock.destroy();
        keyLog.destroy();
    }

    @Test
    void shouldDeriveThePskCaptureMasterSecretAndDecryptFinishedAndFirstRecord() throws GeneralSecurityException
    {
        // RFC 4279 section 2: plain PSK pre-master secret = uint16 N, N zero bytes, uint16 N, psk.
        final byte[] psk = hex("ca19e028a8a372ad2d325f950fcaceed");
        final byte[] preMasterSecret = new byte[2 + psk.length + 2 + psk.length];
        preMasterSecret[1] = (byte)psk.length;
        preMasterSecret[2 + psk.length + 1] = (byte)psk.length;
        System.arraycopy(psk, 0, preMasterSecret, 4 + psk.length, psk.length);

        final byte[] masterSecret =
            Tls12Prf.masterSecret(HashAlgorithm.SHA_384, preMasterSecret, WS_CLIENT_RANDOM, WS_SERVER_RANDOM);
        assertEquals(48, masterSecret.length);
        final Tls12Prf.KeyBlock keyBlock = Tls12Prf.keyBlock(
            HashAlgorithm.SHA_384, TlsCipher.AES_GCM_256, masterSecret, WS_CLIENT_RANDOM, WS_SERVER_RANDOM);

        final byte[] finished = openTls12GcmRecord(keyBlock.client(), WS_CLIENT_FINISHED_RECORD, 0);
        assertArrayEquals(hex("1400000c"), Arrays.copyOf(finished, 4), "Finished, 12 bytes of verify_data");
        final byte[] request = openTls12GcmRecord(keyBlock.client(), WS_CLIENT_FIRST_APPLICATION_RECORD, 1);
        assertTrue(new String(request, StandardCharsets.US_ASCII).startsWith("GET /"));
    }

    @Test
    void shouldComputeTheExtendedMasterSecretWithItsOwnLabelAndTheSessionHash()
    {
        final byte[] preMasterSecret = hex("0303" + "11".repeat(46));
        final byte[] sessionHash =
            HashAlgorithm.SHA_256.digest("handshake messages".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(
            Tls12Prf.prf(HashAlgorithm.SHA_256, preMasterSecret, "extended master secret", sessionHash, 48),
            Tls12Prf.extendedMasterSecret(HashAlgorithm.SHA_256, preMasterSecret, sessionHash));
    }

    @Test
    void shouldSplitChaChaAndAes128KeyBlocksIntoTheirLengths()
    {
        final byte[] random = new byte[32];
        final byte[] masterSecret = new byte[48];
        final Tls12Prf.KeyBlock chacha = Tls12Prf.keyBlock(
            HashAlgorithm.SHA_256, TlsCipher.CHACHA20_POLY1305, masterSecret, random, random);
        assertEquals(32, chacha.server().keyLength());
        assertEquals(12, chacha.server().ivLength());
        final Tls12Prf.KeyBlock aes = Tls12Prf.keyBlock(
            HashAlgorithm.SHA_256, TlsCipher.AES_GCM_128, masterSecret, random, random);
        final byte[] block = Tls12Prf.prf(HashAlgorithm.SHA_256, masterSecret, "key expansion", new byte[64], 40);
        assertArrayEquals(Arrays.copyOfRange(block, 0, 16), aes.client().key());
        assertArrayEquals(Arrays.copyOfRange(block, 16, 32), aes.server().key());
        assertArrayEquals(Arrays.copyOfRange(block, 32, 36), aes.client().iv());
        assertArrayEquals(Arrays.copyOfRange(block, 36, 40), aes.server().iv());
        assertEquals("KeyBlock{client=TrafficKeys{key=16 bytes, iv=4 bytes}, "
            + "server=TrafficKeys{key=16 bytes, iv=4 bytes}}", aes.toString());
        assertThrows(IllegalArgumentException.class, () -> Tls12Prf.keyBlock(
            HashAlgorithm.SHA_256, TlsCipher.AES_CCM_128, masterSecret, random, random));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tls12Prf.keyBlock(
            HashAlgorithm.SHA_256, TlsCipher.AES_GCM_128, masterSecret, new byte[31], random));
        assertEquals("client_random must be 32 bytes, got 31", e.getMessage());
    }

    /** TLS 1.2 AES-GCM: nonce = salt || explicit nonce, AAD = seq || type || version || plaintext length. */
    private static byte[] openTls12GcmRecord(final TrafficKeys keys, final byte[] record, final long recordNumber)
        throws GeneralSecurityException
    {
        final int recordLength = (record[3] & 0xFF) << 8 | (record[4] & 0xFF);
        assertEquals(record.length - HEADER_LENGTH, recordLength);
        final byte[] nonce = new byte[12];
        System.arraycopy(keys.iv(), 0, nonce, 0, 4);
        System.arraycopy(record, HEADER_LENGTH, nonce, 4, EXPLICIT_NONCE_LENGTH);
        final int plaintextLength = recordLength - EXPLICIT_NONCE_LENGTH - TAG_LENGTH;
        final byte[] aad = new byte[13];
        for (int i = 0; i < 8; i++)
        {
            aad[i] = (byte)(recordNumber >>> (56 - 8 * i));
        }
        aad[8] = record[0];
        aad[9] = record[1];
        aad[10] = record[2];
        aad[11] = (byte)(plaintextLength >>> 8);
        aad[12] = (byte)plaintextLength;
        return aesGcmOpen(keys.key(), nonce, aad,
            Arrays.copyOfRange(record, HEADER_LENGTH + EXPLICIT_NONCE_LENGTH, record.length));
    }
}
