package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.tlsnic.wire.testing.Json;
import io.tlsnic.wire.tls.TlsCipher;
import io.tlsnic.wire.util.Hex;

/**
 * Project Wycheproof AEAD vectors. Applicable to TLS: 96-bit nonces, 128-bit tags, and the key sizes TLS uses
 * (AES-128, AES-256, ChaCha20's 256). The rest cannot be expressed through the API (nonces are always 12
 * bytes) and are counted, not run.
 */
class WycheproofAeadTest
{
    @Test
    void shouldPassEveryApplicableAesGcmVectorThroughOneShotAndStreamedPaths() throws Exception
    {
        final JsonNode root = Json.read("wycheproof/aes_gcm_test.json");
        final SplittableRandom random = new SplittableRandom(8446);
        int valid = 0;
        int invalid = 0;
        int notApplicable = 0;
        for (final JsonNode group : root.get("testGroups"))
        {
            final boolean applicable = group.get("ivSize").asInt() == 96 && group.get("tagSize").asInt() == 128
                && group.get("keySize").asInt() != 192;
            for (final JsonNode t : group.get("tests"))
            {
                if (!applicable)
                {
                    notApplicable++;
                    continue;
                }
                final String id = "wycheproof aes-gcm tcId " + t.get("tcId").asInt();
                final byte[] key = Hex.decode(t.get("key").asText());
                final byte[] iv = Hex.decode(t.get("iv").asText());
                final byte[] aad = Hex.decode(t.get("aad").asText());
                final byte[] msg = Hex.decode(t.get("msg").asText());
                final byte[] ct = Hex.decode(t.get("ct").asText());
                final byte[] tag = Hex.decode(t.get("tag").asText());
                if ("invalid".equals(t.get("result").asText()))
                {
                    GcmCheck.invalid(id, key, iv, aad, ct, tag, random);
                    invalid++;
                }
                else
                {
                    GcmCheck.valid(id, key, iv, aad, msg, ct, tag, random);
                    valid++;
                }
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), valid + invalid + notApplicable);
        assertEquals(79, valid, "valid vectors run");
        assertEquals(54, invalid, "invalid vectors run");
    }

    @Test
    void shouldPassEveryChaCha20Poly1305VectorWithA96BitNonce() throws Exception
    {
        final JsonNode root = Json.read("wycheproof/chacha20_poly1305_test.json");
        int valid = 0;
        int invalid = 0;
        int otherNonceSize = 0;
        for (final JsonNode group : root.get("testGroups"))
        {
            for (final JsonNode t : group.get("tests"))
            {
                final String id = "wycheproof chacha20-poly1305 tcId " + t.get("tcId").asInt();
                final byte[] key = Hex.decode(t.get("key").asText());
                final byte[] iv = Hex.decode(t.get("iv").asText());
                final byte[] aad = Hex.decode(t.get("aad").asText());
                final byte[] msg = Hex.decode(t.get("msg").asText());
                final byte[] ct = Hex.decode(t.get("ct").asText());
                final byte[] tag = Hex.decode(t.get("tag").asText());
                final boolean isValid = "valid".equals(t.get("result").asText());
                if (iv.length != 12)
                {
                    // Every such vector is marked invalid; the API only takes 12-byte nonces.
                    assertEquals("invalid", t.get("result").asText(), id);
                    otherNonceSize++;
                    continue;
                }
                final JceAead aead = new JceAead(TlsCipher.CHACHA20_POLY1305, key);
                final byte[] input = GcmCheck.concat(ct, tag);
                final byte[] out = new byte[Math.max(ct.length, 1)];
                final int opened = aead.open(iv, 0, aad, 0, aad.length, input, 0, input.length, out, 0);
                if (isValid)
                {
                    assertEquals(msg.length, opened, id);
                    assertArrayEquals(msg, java.util.Arrays.copyOf(out, msg.length), id);
                    final byte[] sealed = new byte[msg.length + 16];
                    aead.seal(iv, 0, aad, 0, aad.length, msg, 0, msg.length, sealed, 0);
                    assertArrayEquals(input, sealed, id);
                    valid++;
                }
                else
                {
                    assertEquals(-1, opened, id + " must be refused");
                    invalid++;
                }
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), valid + invalid + otherNonceSize);
        assertEquals(256, valid, "valid vectors run");
        assertEquals(60, invalid, "invalid vectors run");
    }
}
