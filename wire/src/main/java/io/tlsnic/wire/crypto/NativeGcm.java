package io.tlsnic.wire.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;

import io.tlsnic.wire.tls.TlsCipher;

/**
 * The native AES-GCM kernel ({@code wire/src/main/c/tlsnic_gcm.c}, VAES + VPCLMULQDQ on AVX-512): its loader and
 * its JNI entry points. The library is loaded once per JVM, and used only when all of these hold; otherwise
 * {@link AesGcmStream} runs on {@link JceGcmCore} and {@link #unavailableReason()} says why:
 *
 * <ul>
 *   <li>{@code -Dtlsnic.crypto.native=false} is not set;</li>
 *   <li>the JVM runs on Linux x86-64 and the build put the library into the classes (it needs gcc);</li>
 *   <li>the library loads (from {@code target/classes} directly, or extracted from the jar to a temporary file);</li>
 *   <li>the CPU has AES-NI, PCLMULQDQ, AVX-512 F/BW/VL, VAES and VPCLMULQDQ, and the OS saves the zmm state
 *       (cpuid and xgetbv, checked in C);</li>
 *   <li>the kernel seals and opens a known record exactly as SunJCE does (AES-128 and AES-256, cut mid-block, with
 *       a run of whole 256-byte chunks).</li>
 * </ul>
 *
 * <p>State handles are addresses of native memory: every method but {@link #cpuSupported()} and
 * {@link #liveStates()} trusts its arguments, so bounds are checked by the Java caller first.
 */
final class NativeGcm
{
    /** System property that forces the Java engine when set to {@code false}. */
    static final String PROPERTY = "tlsnic.crypto.native";

    private static final String RESOURCE = "/io/tlsnic/wire/crypto/native/linux-x86_64/libtlsnic-gcm.so";
    private static final String UNAVAILABLE_REASON = load();

    private NativeGcm()
    {
    }

    /** @return whether the native kernel is loaded, supported by this CPU and passed its self-test. */
    static boolean isAvailable()
    {
        return UNAVAILABLE_REASON == null;
    }

    /** @return why the native kernel is not used, or null when it is. */
    static String unavailableReason()
    {
        return UNAVAILABLE_REASON;
    }

    /**
     * Why the kernel must not even be loaded, from the setting and the platform alone.
     *
     * @param property value of {@code tlsnic.crypto.native}, or null.
     * @param osName {@code os.name}.
     * @param osArch {@code os.arch}.
     * @return the reason, or null when loading may be tried.
     */
    static String refusal(final String property, final String osName, final String osArch)
    {
        if (property != null && property.trim().equalsIgnoreCase("false"))
        {
            return "disabled by -D" + PROPERTY + "=false";
        }
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")
            || !(osArch.equals("amd64") || osArch.equals("x86_64")))
        {
            return "no native kernel for " + osName + " " + osArch;
        }
        return null;
    }

    private static String load()
    {
        final String refused = refusal(System.getProperty(PROPERTY), System.getProperty("os.name", ""),
            System.getProperty("os.arch", ""));
        if (refused != null)
        {
            return refused;
        }
        final URL url = NativeGcm.class.getResource(RESOURCE);
        if (url == null)
        {
            return "the build made no native library (no gcc)";
        }
        try
        {
            loadLibrary(url);
        }
        catch (final IOException | URISyntaxException | UnsatisfiedLinkError | SecurityException e)
        {
            return "the native library did not load: " + e.getMessage();
        }
        if (!cpuSupported())
        {
            return "the CPU lacks AVX-512 (F, BW, VL), VAES or VPCLMULQDQ";
        }
        if (!selfTest(TlsCipher.AES_GCM_128) || !selfTest(TlsCipher.AES_GCM_256))
        {
            return "the native kernel failed its self-test against SunJCE";
        }
        return null;
    }

    private static void loadLibrary(final URL url) throws IOException, URISyntaxException
    {
        if ("file".equals(url.getProtocol()))
        {
            System.load(Path.of(url.toURI()).toString());
            return;
        }
        // Inside a jar: copy it out; once mapped, the file can go.
        final Path file = Files.createTempFile("tlsnic-gcm", ".so");
        try
        {
            try (InputStream in = url.openStream())
            {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            System.load(file.toString());
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /** Seals and opens a 1000-byte record with 13 bytes of AAD, cut inside blocks, against SunJCE's one-shot GCM. */
    private static boolean selfTest(final TlsCipher cipher)
    {
        final byte[] key = new byte[cipher.keyLength()];
        final byte[] nonce = new byte[AesGcmStream.NONCE_LENGTH];
        final byte[] aad = new byte[13];
        final byte[] plain = new byte[1000];
        fill(key, 0x1f);
        fill(nonce, 0x35);
        fill(aad, 0x47);
        fill(plain, 0x59);
        final byte[] expected = new byte[plain.length + AesGcmStream.TAG_LENGTH];
        new JceAead(cipher, key).seal(nonce, 0, aad, 0, aad.length, plain, 0, plain.length, expected, 0);

        final long state = create(key);
        if (state == 0)
        {
            return false;
        }
        try
        {
            final byte[] sealed = new byte[expected.length];
            start(state, true, nonce, 0, aad, 0, aad.length);
            update(state, plain, 0, 7, sealed, 0);
            update(state, plain, 7, plain.length - 7, sealed, 7);
            tag(state, sealed, plain.length);
            final byte[] opened = new byte[plain.length];
            start(state, false, nonce, 0, aad, 0, aad.length);
            update(state, expected, 0, 601, opened, 0);
            update(state, expected, 601, plain.length - 601, opened, 601);
            final byte[] tag = new byte[AesGcmStream.TAG_LENGTH];
            tag(state, tag, 0);
            return Arrays.equals(expected, sealed) && Arrays.equals(plain, opened)
                && Arrays.equals(expected, plain.length, expected.length, tag, 0, tag.length);
        }
        finally
        {
            destroy(state);
        }
    }

    private static void fill(final byte[] b, final int step)
    {
        for (int i = 0; i < b.length; i++)
        {
            b[i] = (byte)(step * (i + 1));
        }
    }

    /** @return whether this CPU and OS run the kernel (cpuid and xgetbv). */
    static native boolean cpuSupported();

    /**
     * Expands a key into a new native state (round keys, powers of H); the caller keeps and wipes its own copy.
     *
     * @param key 16 or 32 bytes.
     * @return the state's handle, or 0 when it could not be made.
     */
    static native long create(byte[] key);

    /**
     * Wipes and frees a state; the handle must not be used again.
     *
     * @param state handle from {@link #create}.
     */
    static native void destroy(long state);

    /** @return states created and not yet destroyed in this JVM. */
    static native long liveStates();

    /** @return how the kernel is called: "FFM" (critical downcalls, JDK 22+) or "JNI". */
    static String callPath()
    {
        return NativeGcmDowncalls.isAvailable() ? "FFM" : "JNI";
    }

    /**
     * Starts a record.
     *
     * @param state handle.
     * @param encrypt direction.
     * @param nonce nonce bytes (12 from {@code nonceOffset}).
     * @param nonceOffset nonce offset.
     * @param aad AAD bytes.
     * @param aadOffset first AAD byte.
     * @param aadLength AAD length.
     */
    static void start(
        final long state, final boolean encrypt, final byte[] nonce, final int nonceOffset,
        final byte[] aad, final int aadOffset, final int aadLength)
    {
        if (NativeGcmDowncalls.START == null)
        {
            startJni(state, encrypt, nonce, nonceOffset, aad, aadOffset, aadLength);
            return;
        }
        try
        {
            NativeGcmDowncalls.START.invokeExact(state, encrypt ? 1 : 0, nonce, nonceOffset, aad, aadOffset, aadLength);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native AES-GCM start failed", t);
        }
    }

    /**
     * Encrypts or decrypts the next bytes of the record, in place or not.
     *
     * @param state handle.
     * @param in input.
     * @param inOffset first input byte.
     * @param length number of bytes.
     * @param out output.
     * @param outOffset first output byte.
     */
    static void update(
        final long state, final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        if (NativeGcmDowncalls.UPDATE == null)
        {
            updateJni(state, in, inOffset, length, out, outOffset);
            return;
        }
        try
        {
            NativeGcmDowncalls.UPDATE.invokeExact(state, in, inOffset, length, out, outOffset);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native AES-GCM update failed", t);
        }
    }

    /**
     * Writes the record's tag.
     *
     * @param state handle.
     * @param out destination of 16 bytes.
     * @param outOffset where to write.
     */
    static void tag(final long state, final byte[] out, final int outOffset)
    {
        if (NativeGcmDowncalls.TAG == null)
        {
            tagJni(state, out, outOffset);
            return;
        }
        try
        {
            NativeGcmDowncalls.TAG.invokeExact(state, out, outOffset);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("native AES-GCM tag failed", t);
        }
    }

    private static native void startJni(
        long state, boolean encrypt, byte[] nonce, int nonceOffset, byte[] aad, int aadOffset, int aadLength);

    private static native void updateJni(long state, byte[] in, int inOffset, int length, byte[] out, int outOffset);

    private static native void tagJni(long state, byte[] out, int outOffset);
}
