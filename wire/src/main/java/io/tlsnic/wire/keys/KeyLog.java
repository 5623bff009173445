package io.tlsnic.wire.keys;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import javax.security.auth.Destroyable;

/**
 * An NSS key log file (RFC 9850, the {@code SSLKEYLOGFILE} format): one {@code <label> <client_random>
 * <secret>} entry per line, hex fields, {@code #} comments and blank lines ignored, LF or CRLF, either hex case.
 * <p>
 * Parsing never fails because of a bad line: a line with an unknown label, the wrong number of fields, odd or
 * non-hex digits or a field of the wrong length is skipped and reported in {@link #problems()} with its 1-based
 * line number ({@code "line 7: client_random must be 32 bytes of hex, got 31"}); the other lines are used.
 * {@code RSA} (pre-master secret by encrypted-key prefix) and the ECH labels are recognised and reported as
 * unsupported. A repeated (label, client_random) with the same secret is ignored; with another secret it is a
 * problem and the first one is kept.
 * <p>
 * Secrets never appear in {@link #toString()}, in entries' {@code toString()} or in problem reasons.
 */
public final class KeyLog implements Destroyable
{
    /** TLS 1.2 (and earlier): the 48-byte master secret. */
    public static final String CLIENT_RANDOM = "CLIENT_RANDOM";
    /** TLS 1.3 client_early_traffic_secret. */
    public static final String CLIENT_EARLY_TRAFFIC_SECRET = "CLIENT_EARLY_TRAFFIC_SECRET";
    /** TLS 1.3 client_handshake_traffic_secret. */
    public static final String CLIENT_HANDSHAKE_TRAFFIC_SECRET = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    /** TLS 1.3 server_handshake_traffic_secret. */
    public static final String SERVER_HANDSHAKE_TRAFFIC_SECRET = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    /** TLS 1.3 client_application_traffic_secret_0; later generations are {@link #clientTrafficSecret(int)}. */
    public static final String CLIENT_TRAFFIC_SECRET_0 = "CLIENT_TRAFFIC_SECRET_0";
    /** TLS 1.3 server_application_traffic_secret_0; later generations are {@link #serverTrafficSecret(int)}. */
    public static final String SERVER_TRAFFIC_SECRET_0 = "SERVER_TRAFFIC_SECRET_0";
    /** TLS 1.3 early_exporter_master_secret. */
    public static final String EARLY_EXPORTER_SECRET = "EARLY_EXPORTER_SECRET";
    /** TLS 1.3 exporter_master_secret. */
    public static final String EXPORTER_SECRET = "EXPORTER_SECRET";

    private static final int RANDOM_LENGTH = 32;
    private static final int MASTER_SECRET_LENGTH = 48;
    private static final Set<String> FIXED_LABELS = Set.of(
        CLIENT_RANDOM, CLIENT_EARLY_TRAFFIC_SECRET, CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_HANDSHAKE_TRAFFIC_SECRET,
        EARLY_EXPORTER_SECRET, EXPORTER_SECRET);
    private static final Pattern TRAFFIC_SECRET_N =
        Pattern.compile("(CLIENT|SERVER)_TRAFFIC_SECRET_(0|[1-9][0-9]{0,9})");
    private static final Set<String> UNSUPPORTED_LABELS = Set.of("RSA", "ECH_SECRET", "ECH_CONFIG");
    private static final Pattern FIELD_SEPARATOR = Pattern.compile("[ \t]+");
    private static final HexFormat HEX = HexFormat.of();

    private final Map<String, Entry> entries;
    private final List<Problem> problems;

    private KeyLog(final Map<String, Entry> entries, final List<Problem> problems)
    {
        this.entries = entries;
        this.problems = problems;
    }

    /**
     * @param generation N of a KeyUpdate chain, 0 for the first application traffic secret.
     * @return the label {@code CLIENT_TRAFFIC_SECRET_N}.
     */
    public static String clientTrafficSecret(final int generation)
    {
        return "CLIENT_TRAFFIC_SECRET_" + Integer.toUnsignedString(generation);
    }

    /**
     * @param generation N of a KeyUpdate chain, 0 for the first application traffic secret.
     * @return the label {@code SERVER_TRAFFIC_SECRET_N}.
     */
    public static String serverTrafficSecret(final int generation)
    {
        return "SERVER_TRAFFIC_SECRET_" + Integer.toUnsignedString(generation);
    }

    /**
     * @param path key log file (UTF-8; the format is ASCII).
     * @return the parsed log.
     * @throws IOException when the file cannot be read.
     */
    public static KeyLog read(final Path path) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8))
        {
            return parse(reader);
        }
    }

    /**
     * @param text key log contents.
     * @return the parsed log.
     */
    public static KeyLog parse(final String text)
    {
        try
        {
            return parse(new StringReader(text));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("a StringReader does not fail", e);
        }
    }

    /**
     * @param reader key log contents; read to the end, not closed.
     * @return the parsed log.
     * @throws IOException when the reader fails.
     */
    public static KeyLog parse(final Reader reader) throws IOException
    {
        final BufferedReader lines =
            reader instanceof BufferedReader ? (BufferedReader)reader : new BufferedReader(reader);
        final Map<String, Entry> entries = new LinkedHashMap<>();
        final List<Problem> problems = new ArrayList<>();
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine())
        {
            lineNumber++;
            final String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.charAt(0) == '#')
            {
                continue;
            }
            final String[] fields = FIELD_SEPARATOR.split(trimmed);
            final String reason = parseLine(fields, lineNumber, entries);
            if (reason != null)
            {
                problems.add(new Problem(lineNumber, reason));
            }
        }
        return new KeyLog(entries, Collections.unmodifiableList(problems));
    }

    /**
     * @param label        entry label, e.g. {@link #CLIENT_HANDSHAKE_TRAFFIC_SECRET}.
     * @param clientRandom the connection's ClientHello.random.
     * @return a copy of the secret, or empty when the log has no such entry.
     */
    public Optional<byte[]> secret(final String label, final byte[] clientRandom)
    {
        final Entry entry = entries.get(key(label, clientRandom));
        return entry == null ? Optional.empty() : Optional.of(entry.secret());
    }

    /** @return the usable entries in file order. */
    public List<Entry> entries()
    {
        return List.copyOf(entries.values());
    }

    /** @return number of usable entries. */
    public int size()
    {
        return entries.size();
    }

    /** @return the lines that were skipped, with reasons, in file order. */
    public List<Problem> problems()
    {
        return problems;
    }

    /** Wipes every secret. */
    @Override
    public void destroy()
    {
        entries.values().forEach(Entry::destroy);
    }

    @Override
    public boolean isDestroyed()
    {
        return entries.values().stream().allMatch(Entry::isDestroyed);
    }

    /** @return counts only. */
    @Override
    public String toString()
    {
        return "KeyLog{entries=" + entries.size() + ", problems=" + problems.size() + '}';
    }

    /**
     * Checks that an entry is well formed; shared by the parser and {@link KeyLogWriter}.
     *
     * @param label              label.
     * @param clientRandomLength length of client_random in bytes.
     * @param secretLength       length of the secret in bytes.
     * @param unit               words after "N bytes" in a reason, e.g. " of hex".
     * @return why the entry is not acceptable, or {@code null} when it is.
     */
    static String entryProblem(
        final String label, final int clientRandomLength, final int secretLength, final String unit)
    {
        final String labelProblem = labelProblem(label);
        if (labelProblem != null)
        {
            return labelProblem;
        }
        if (clientRandomLength != RANDOM_LENGTH)
        {
            return "client_random must be " + RANDOM_LENGTH + " bytes" + unit + ", got " + clientRandomLength;
        }
        if (CLIENT_RANDOM.equals(label))
        {
            return secretLength == MASTER_SECRET_LENGTH ? null :
                "master secret must be " + MASTER_SECRET_LENGTH + " bytes" + unit + ", got " + secretLength;
        }
        return secretLength == HashAlgorithm.SHA_256.length() || secretLength == HashAlgorithm.SHA_384.length() ? null :
            label + " secret must be 32 or 48 bytes" + unit + ", got " + secretLength;
    }

    private static String labelProblem(final String label)
    {
        if (FIXED_LABELS.contains(label) || TRAFFIC_SECRET_N.matcher(label).matches())
        {
            return null;
        }
        if (UNSUPPORTED_LABELS.contains(label))
        {
            return label + " entries are recognised but not supported";
        }
        // A label is never secret, but a mangled line might put a secret first: show a bounded prefix only.
        return "unknown label '" + (label.length() > 40 ? label.substring(0, 40) + "..." : label) + "'";
    }

    private static String parseLine(final String[] fields, final int lineNumber, final Map<String, Entry> entries)
    {
        final String labelProblem = labelProblem(fields[0]);
        if (labelProblem != null)
        {
            return labelProblem;
        }
        if (fields.length != 3)
        {
            return "expected 3 fields (label client_random secret), got " + fields.length;
        }
        final String label = fields[0];
        final String hexProblem = hexProblem("client_random", fields[1]);
        if (hexProblem != null)
        {
            return hexProblem;
        }
        final String secretName = CLIENT_RANDOM.equals(label) ? "master secret" : label + " secret";
        final String secretHexProblem = hexProblem(secretName, fields[2]);
        if (secretHexProblem != null)
        {
            return secretHexProblem;
        }
        final String lengthProblem = entryProblem(label, fields[1].length() / 2, fields[2].length() / 2, " of hex");
        if (lengthProblem != null)
        {
            return lengthProblem;
        }
        final Entry entry = new Entry(label, HEX.parseHex(fields[1]), HEX.parseHex(fields[2]), lineNumber);
        final Entry previous = entries.putIfAbsent(key(label, entry.clientRandom), entry);
        if (previous == null)
        {
            return null;
        }
        final boolean same = Arrays.equals(previous.secret, entry.secret);
        entry.destroy();
        return same ? null :
            label + " for this client_random conflicts with line " + previous.lineNumber + ", which is kept";
    }

    private static String hexProblem(final String field, final String hex)
    {
        for (int i = 0; i < hex.length(); i++)
        {
            if (Character.digit(hex.charAt(i), 16) < 0)
            {
                // The position, not the character: the field may be a secret.
                return field + " has a non-hex character at position " + (i + 1);
            }
        }
        return hex.length() % 2 == 0 ? null : field + " has an odd number of hex digits, " + hex.length();
    }

    private static String key(final String label, final byte[] clientRandom)
    {
        return label + ' ' + HEX.formatHex(clientRandom);
    }

    /** One usable line: label, client_random, secret. */
    public static final class Entry implements Destroyable
    {
        private final String label;
        private final byte[] clientRandom;
        private final byte[] secret;
        private final int lineNumber;
        private volatile boolean destroyed;

        private Entry(final String label, final byte[] clientRandom, final byte[] secret, final int lineNumber)
        {
            this.label = label;
            this.clientRandom = clientRandom;
            this.secret = secret;
            this.lineNumber = lineNumber;
        }

        /** @return the label. */
        public String label()
        {
            return label;
        }

        /** @return a copy of the 32-byte client_random. */
        public byte[] clientRandom()
        {
            return clientRandom.clone();
        }

        /** @return a copy of the secret. */
        public byte[] secret()
        {
            if (destroyed)
            {
                throw new IllegalStateException("key log secret was destroyed");
            }
            return secret.clone();
        }

        /** @return the 1-based line the entry was read from. */
        public int lineNumber()
        {
            return lineNumber;
        }

        @Override
        public void destroy()
        {
            destroyed = true;
            Arrays.fill(secret, (byte)0);
        }

        @Override
        public boolean isDestroyed()
        {
            return destroyed;
        }

        /** @return label, client_random and the secret's length; never the secret. */
        @Override
        public String toString()
        {
            return label + ' ' + HEX.formatHex(clientRandom) + " <" + secret.length + "-byte secret>";
        }
    }

    /** A skipped line. */
    public static final class Problem
    {
        private final int lineNumber;
        private final String reason;

        private Problem(final int lineNumber, final String reason)
        {
            this.lineNumber = lineNumber;
            this.reason = reason;
        }

        /** @return the 1-based line number. */
        public int lineNumber()
        {
            return lineNumber;
        }

        /** @return why the line was skipped. */
        public String reason()
        {
            return reason;
        }

        /** @return e.g. "line 7: client_random must be 32 bytes of hex, got 31". */
        @Override
        public String toString()
        {
            return "line " + lineNumber + ": " + reason;
        }
    }
}
