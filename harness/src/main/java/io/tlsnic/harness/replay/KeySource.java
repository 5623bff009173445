package io.tlsnic.harness.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.tlsnic.harness.cli.InputException;
import io.tlsnic.wire.keys.KeyLog;
import io.tlsnic.wire.util.Hex;

/**
 * Where connection secrets come from: an NSS key log ({@code --keylog}) and a TLS 1.2 pre-shared key ({@code --psk}).
 * Lines of the key log that cannot be used become warnings naming the file and line; the others are used. Secrets
 * are returned as fresh copies and never appear in a message.
 */
public final class KeySource
{
    private final KeyLog keyLog;
    private final String keyLogName;
    private final byte[] psk;
    private final List<String> warnings;

    private KeySource(final KeyLog keyLog, final String keyLogName, final byte[] psk, final List<String> warnings)
    {
        this.keyLog = keyLog;
        this.keyLogName = keyLogName;
        this.psk = psk;
        this.warnings = warnings;
    }

    /**
     * @param keyLogPath NSS key log, or {@code null}.
     * @param pskHex     TLS 1.2 PSK in hex, or {@code null}.
     * @return the key source.
     * @throws InputException when the key log cannot be read or the PSK is not hex.
     */
    public static KeySource load(final Path keyLogPath, final String pskHex)
    {
        KeyLog log = null;
        final List<String> warnings = new ArrayList<>();
        if (keyLogPath != null)
        {
            try
            {
                log = KeyLog.read(keyLogPath);
            }
            catch (final IOException e)
            {
                throw new InputException(keyLogPath + ": cannot read the key log ("
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : String.valueOf(
                    e.getMessage())) + ")");
            }
            for (final KeyLog.Problem problem : log.problems())
            {
                warnings.add(keyLogPath + " line " + problem.lineNumber() + ": " + problem.reason()
                    + "; line ignored");
            }
        }
        byte[] psk = null;
        if (pskHex != null)
        {
            final String digits = pskHex.strip();
            try
            {
                psk = Hex.decode(digits);
            }
            catch (final IllegalArgumentException e)
            {
                throw new InputException("--psk: not hex digits or an odd number of them (" + digits.length()
                    + " characters given)");
            }
            if (psk.length == 0 || psk.length > 0xFFFF)
            {
                throw new InputException("--psk: a PSK is 1 to 65535 bytes, got " + psk.length);
            }
        }
        return new KeySource(log, keyLogPath == null ? null : keyLogPath.toString(), psk, List.copyOf(warnings));
    }

    /** @return one line per key-log line that was ignored. */
    public List<String> warnings()
    {
        return warnings;
    }

    /** @return whether a PSK was given. */
    public boolean hasPsk()
    {
        return psk != null;
    }

    /**
     * @param label        key log label.
     * @param clientRandom ClientHello.random.
     * @return a copy of the secret, or empty.
     */
    public Optional<byte[]> secret(final String label, final byte[] clientRandom)
    {
        return keyLog == null ? Optional.empty() : keyLog.secret(label, clientRandom);
    }

    /**
     * The TLS 1.2 pre-master secret of a plain PSK suite (RFC 4279 section 2): {@code uint16(N) || N zero bytes ||
     * uint16(N) || psk}.
     *
     * @return a fresh pre-master secret, or empty without {@code --psk}.
     */
    public Optional<byte[]> pskPreMasterSecret()
    {
        if (psk == null)
        {
            return Optional.empty();
        }
        final int n = psk.length;
        final byte[] preMaster = new byte[4 + 2 * n];
        preMaster[0] = (byte)(n >>> 8);
        preMaster[1] = (byte)n;
        preMaster[2 + n] = (byte)(n >>> 8);
        preMaster[3 + n] = (byte)n;
        System.arraycopy(psk, 0, preMaster, 4 + n, n);
        return Optional.of(preMaster);
    }

    /**
     * @param what e.g. "CLIENT_RANDOM".
     * @param clientRandom the connection's ClientHello.random.
     * @return why a secret is missing, without any secret, e.g. "no CLIENT_RANDOM line for client random 2095..."
     */
    public String missing(final String what, final byte[] clientRandom)
    {
        final String random = Hex.encode(Arrays.copyOf(clientRandom, Math.min(8, clientRandom.length))) + "...";
        return keyLog == null
            ? "no key log given (--keylog) for client random " + random
            : "no " + what + " line for client random " + random + " in " + keyLogName;
    }
}
