package io.tlsnic.wire.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tlsnic.wire.testing.Vectors;
import io.tlsnic.wire.util.Hex;

/** Every NIST CAVP GCM vector with 96-bit IV and 128-bit tag, through every AES-GCM path. */
class NistCavpGcmTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "gcmEncryptExtIV128.iv96-tag128.rsp", "gcmEncryptExtIV256.iv96-tag128.rsp",
        "gcmDecrypt128.iv96-tag128.rsp", "gcmDecrypt256.iv96-tag128.rsp"})
    void shouldPassEveryVectorOfTheFile(final String name) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(name.hashCode());
        int count = 0;
        Map<String, String> entry = new HashMap<>();
        for (final String raw : Files.readAllLines(Vectors.file("nist-cavp-gcm/" + name)))
        {
            final String line = raw.trim();
            if (line.startsWith("Count = "))
            {
                count += run(name, entry, random);
                entry = new HashMap<>();
                entry.put("Count", line.substring(8));
            }
            else if (line.equals("FAIL"))
            {
                entry.put("FAIL", "");
            }
            else if (line.contains(" = ") && !line.startsWith("["))
            {
                final int eq = line.indexOf(" = ");
                entry.put(line.substring(0, eq), line.substring(eq + 3));
            }
            else if (line.matches("[A-Za-z]+ =")) // empty value, e.g. "PT ="
            {
                entry.put(line.substring(0, line.length() - 2), "");
            }
        }
        count += run(name, entry, random);
        assertEquals(375, count, "vectors in " + name);
    }

    private static int run(final String file, final Map<String, String> e, final SplittableRandom random)
    {
        if (!e.containsKey("Key"))
        {
            return 0;
        }
        final String id = file + " Count " + e.get("Count") + " (key " + e.get("Key").length() * 4 + " bits)";
        final byte[] key = Hex.decode(e.get("Key"));
        final byte[] iv = Hex.decode(e.get("IV"));
        final byte[] aad = Hex.decode(e.getOrDefault("AAD", ""));
        final byte[] ct = Hex.decode(e.getOrDefault("CT", ""));
        final byte[] tag = Hex.decode(e.get("Tag"));
        if (e.containsKey("FAIL"))
        {
            GcmCheck.invalid(id, key, iv, aad, ct, tag, random);
        }
        else
        {
            GcmCheck.valid(id, key, iv, aad, Hex.decode(e.getOrDefault("PT", "")), ct, tag, random);
        }
        return 1;
    }
}
