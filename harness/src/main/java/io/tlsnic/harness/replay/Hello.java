package io.tlsnic.harness.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of a ClientHello or ServerHello that key installation depends on (RFC 8446 section 4.1.2-4.1.3,
 * RFC 5246 section 7.4.1): random, cipher suites, and the extensions supported_versions (43), early_data (42),
 * extended_master_secret (23).
 */
record Hello(
    int legacyVersion, byte[] random, List<Integer> cipherSuites, int selectedVersion, boolean earlyData,
    boolean extendedMasterSecret)
{
    static final int EXTENSION_EXTENDED_MASTER_SECRET = 23;
    static final int EXTENSION_EARLY_DATA = 42;
    static final int EXTENSION_SUPPORTED_VERSIONS = 43;

    /** SHA-256("HelloRetryRequest"), the random of a HelloRetryRequest (RFC 8446 section 4.1.3). */
    private static final byte[] HELLO_RETRY_REQUEST_RANDOM = io.tlsnic.wire.util.Hex.decode(
        "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    /** @return whether this ServerHello is a HelloRetryRequest. */
    boolean isHelloRetryRequest()
    {
        return Arrays.equals(random, HELLO_RETRY_REQUEST_RANDOM);
    }

    /** @return the negotiated version code: supported_versions when present, else legacy_version. */
    int version()
    {
        return selectedVersion != 0 ? selectedVersion : legacyVersion;
    }

    /**
     * @param body   ClientHello or ServerHello body.
     * @param client whether it is a ClientHello.
     * @return the fields.
     * @throws IllegalArgumentException naming the field that does not fit.
     */
    static Hello parse(final byte[] body, final boolean client)
    {
        final Cursor in = new Cursor(body);
        final int legacyVersion = in.u16("legacy_version");
        final byte[] random = in.bytes(32, "random");
        in.skip(in.u8("session_id length"), "session_id");
        final List<Integer> suites = new ArrayList<>();
        if (client)
        {
            final int suitesLength = in.u16("cipher_suites length");
            for (int i = 0; i < suitesLength / 2; i++)
            {
                suites.add(in.u16("cipher suite"));
            }
            in.skip(in.u8("compression_methods length"), "compression_methods");
        }
        else
        {
            suites.add(in.u16("cipher_suite"));
            in.u8("compression_method");
        }
        int selectedVersion = 0;
        boolean earlyData = false;
        boolean extendedMasterSecret = false;
        if (in.remaining() >= 2)
        {
            final int end = in.position + in.u16("extensions length");
            while (in.position + 4 <= end)
            {
                final int type = in.u16("extension type");
                final int length = in.u16("extension length");
                if (type == EXTENSION_SUPPORTED_VERSIONS && !client && length == 2)
                {
                    selectedVersion = in.u16("selected_version");
                    continue;
                }
                in.skip(length, "extension " + type);
                earlyData |= type == EXTENSION_EARLY_DATA;
                extendedMasterSecret |= type == EXTENSION_EXTENDED_MASTER_SECRET;
            }
        }
        return new Hello(legacyVersion, random, suites, selectedVersion, earlyData, extendedMasterSecret);
    }

    /** Reads big-endian fields and names the one that runs past the end. */
    private static final class Cursor
    {
        private final byte[] bytes;
        private int position;

        Cursor(final byte[] bytes)
        {
            this.bytes = bytes;
        }

        int remaining()
        {
            return bytes.length - position;
        }

        int u8(final String field)
        {
            require(1, field);
            return bytes[position++] & 0xFF;
        }

        int u16(final String field)
        {
            require(2, field);
            final int value = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
            position += 2;
            return value;
        }

        byte[] bytes(final int count, final String field)
        {
            require(count, field);
            final byte[] value = Arrays.copyOfRange(bytes, position, position + count);
            position += count;
            return value;
        }

        void skip(final int count, final String field)
        {
            require(count, field);
            position += count;
        }

        private void require(final int count, final String field)
        {
            if (bytes.length - position < count)
            {
                throw new IllegalArgumentException(field + " needs " + count + " bytes at offset " + position
                    + " but the message has " + (bytes.length - position) + " left");
            }
        }
    }
}
