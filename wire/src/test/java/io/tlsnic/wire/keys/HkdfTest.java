package io.tlsnic.wire.keys;

import static io.tlsnic.wire.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlsnic.wire.testing.Vectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class HkdfTest
{
    @TestFactory
    Stream<DynamicTest> shouldMatchEveryWycheproofHkdfSha256Vector() throws IOException
    {
        return wycheproof("wycheproof/hkdf_sha256_test.json", "HKDF-SHA-256", HashAlgorithm.SHA_256, 86);
    }

    @TestFactory
    Stream<DynamicTest> shouldMatchEveryWycheproofHkdfSha384Vector() throws IOException
    {
        return wycheproof("wycheproof/hkdf_sha384_test.json", "HKDF-SHA-384", HashAlgorithm.SHA_384, 83);
    }

    @Test
    void shouldAcceptTheMaximumExpandLengthAndRejectOneMore()
    {
        final byte[] prk = Hkdf.extract(HashAlgorithm.SHA_256, null, new byte[] {1, 2, 3});
        assertEquals(255 * 32, Hkdf.expand(HashAlgorithm.SHA_256, prk, new byte[0], 255 * 32).length);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Hkdf.expand(HashAlgorithm.SHA_256, prk, new byte[0], 255 * 32 + 1));
        assertEquals("HKDF-Expand length 8161 is outside 0..8160 for SHA-256", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Hkdf.expand(HashAlgorithm.SHA_384, prk, new byte[0], -1));
    }

    @Test
    void shouldTreatNullAndEmptySaltAsHashLengthZeros()
    {
        final byte[] ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        final byte[] zeros = Hkdf.extract(HashAlgorithm.SHA_256, new byte[32], ikm);
        assertArrayEquals(zeros, Hkdf.extract(HashAlgorithm.SHA_256, null, ikm));
        assertArrayEquals(zeros, Hkdf.extract(HashAlgorithm.SHA_256, new byte[0], ikm));
        // RFC 5869 A.3: zero-length salt and info.
        assertArrayEquals(
            hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
            Hkdf.derive(HashAlgorithm.SHA_256, new byte[0], ikm, new byte[0], 42));
    }

    private static Stream<DynamicTest> wycheproof(
        final String file, final String algorithm, final HashAlgorithm hash, final int expectedCount)
        throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(Vectors.file(file).toFile());
        assertEquals(algorithm, root.get("algorithm").asText());
        assertEquals("hkdf_test_schema_v1.json", root.get("schema").asText());
        final List<DynamicTest> tests = new ArrayList<>();
        for (final JsonNode group : root.get("testGroups"))
        {
            for (final JsonNode test : group.get("tests"))
            {
                tests.add(DynamicTest.dynamicTest(
                    "tcId " + test.get("tcId").asInt() + " " + test.get("comment").asText(),
                    () -> check(hash, test)));
            }
        }
        assertEquals(expectedCount, tests.size());
        assertEquals(expectedCount, root.get("numberOfTests").asInt());
        return tests.stream();
    }

    private static void check(final HashAlgorithm hash, final JsonNode test)
    {
        final byte[] ikm = hex(test.get("ikm").asText());
        final byte[] salt = hex(test.get("salt").asText());
        final byte[] info = hex(test.get("info").asText());
        final int size = test.get("size").asInt();
        final String result = test.get("result").asText();
        if ("valid".equals(result))
        {
            assertArrayEquals(hex(test.get("okm").asText()), Hkdf.derive(hash, salt, ikm, info, size));
        }
        else
        {
            assertEquals("invalid", result);
            assertTrue(size > 255 * hash.length(), "the only invalid vectors are SizeTooLarge");
            assertThrows(IllegalArgumentException.class, () -> Hkdf.derive(hash, salt, ikm, info, size));
        }
    }
}
