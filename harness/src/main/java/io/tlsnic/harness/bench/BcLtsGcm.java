package io.tlsnic.harness.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Bouncy Castle LTS's native AES-GCM ({@code AESGCMPacketCipher}, one call per record), the engine benchmark's
 * second reference beside SunJCE. Bouncy Castle LTS ({@code bcprov-lts8on}) has the same package names as the
 * {@code bcprov-jdk18on} the project's TLS handshakes use, so it is not on the classpath: the build bundles its jar
 * as a resource ({@value #RESOURCE}), and this class loads it in a class loader of its own whose parent is the
 * platform class loader, and calls it through method handles. "Where it loads": {@link #load()} says why not
 * when the jar is missing, its native library does not load on this CPU, or it offers no native GCM.
 */
public final class BcLtsGcm
{
    /** The bundled jar, beside this class. */
    static final String RESOURCE = "bcprov-lts8on.jar";
    /** {@code NativeServices.AES_GCM_PC}: the native packet-cipher form of GCM. */
    private static final String AES_GCM_PC = "AES/GCM-PC";

    private static Loaded loaded;

    private final Object cipher;
    private final Object key;
    private final MethodHandle newParameters;
    private final MethodHandle processPacket;

    /**
     * What loading found.
     *
     * @param gcm a cipher factory when the native GCM loaded, else null.
     * @param description "native, variant vaesf" or why it did not load.
     */
    public record Loaded(Factory gcm, String description)
    {
    }

    /** Makes ciphers over the loaded classes. */
    public static final class Factory
    {
        private final MethodHandle newParameters;
        private final MethodHandle processPacket;
        private final MethodHandle newKey;
        private final MethodHandle newCipher;

        private Factory(final ClassLoader loader) throws ReflectiveOperationException
        {
            final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            final Class<?> keyParameter = loader.loadClass("org.bouncycastle.crypto.params.KeyParameter");
            final Class<?> aeadParameters = loader.loadClass("org.bouncycastle.crypto.params.AEADParameters");
            final Class<?> cipherParameters = loader.loadClass("org.bouncycastle.crypto.CipherParameters");
            final Class<?> packetCipher = loader.loadClass("org.bouncycastle.crypto.PacketCipher");
            newKey = lookup.findConstructor(keyParameter, MethodType.methodType(void.class, byte[].class))
                .asType(MethodType.methodType(Object.class, byte[].class));
            newParameters = lookup.findConstructor(aeadParameters,
                MethodType.methodType(void.class, keyParameter, int.class, byte[].class, byte[].class))
                .asType(MethodType.methodType(Object.class, Object.class, int.class, byte[].class, byte[].class));
            processPacket = lookup.findVirtual(packetCipher, "processPacket", MethodType.methodType(int.class,
                boolean.class, cipherParameters, byte[].class, int.class, int.class, byte[].class, int.class))
                .asType(MethodType.methodType(int.class, Object.class, boolean.class, Object.class, byte[].class,
                    int.class, int.class, byte[].class, int.class));
            newCipher = lookup.findStatic(loader.loadClass("org.bouncycastle.crypto.modes.AESGCMPacketCipher"),
                "newInstance", MethodType.methodType(
                    loader.loadClass("org.bouncycastle.crypto.modes.AESGCMModePacketCipher")))
                .asType(MethodType.methodType(Object.class));
        }

        /**
         * @param key AES key, 16 or 32 bytes.
         * @return a cipher for that key.
         */
        public BcLtsGcm create(final byte[] key)
        {
            try
            {
                final Object cipher = newCipher.invokeExact();
                if (!cipher.getClass().getSimpleName().contains("Native"))
                {
                    throw new IllegalStateException("Bouncy Castle made a Java GCM (" + cipher + "), not its native one");
                }
                return new BcLtsGcm(cipher, (Object)newKey.invokeExact(key.clone()), newParameters, processPacket);
            }
            catch (final RuntimeException | Error e)
            {
                throw e;
            }
            catch (final Throwable t)
            {
                throw new IllegalStateException("Bouncy Castle LTS: " + t, t);
            }
        }
    }

    private BcLtsGcm(final Object cipher, final Object key, final MethodHandle newParameters,
        final MethodHandle processPacket)
    {
        this.cipher = cipher;
        this.key = key;
        this.newParameters = newParameters;
        this.processPacket = processPacket;
    }

    /**
     * Loads Bouncy Castle LTS once per JVM.
     *
     * @return the factory, or null and why not.
     */
    public static synchronized Loaded load()
    {
        if (loaded == null)
        {
            loaded = tryLoad();
        }
        return loaded;
    }

    private static Loaded tryLoad()
    {
        final URL jar = BcLtsGcm.class.getResource(RESOURCE);
        if (jar == null)
        {
            return new Loaded(null, "Bouncy Castle LTS not loaded: " + RESOURCE + " is not bundled (build with Maven)");
        }
        try
        {
            // A copy on disk: a class loader cannot read a jar nested in the launcher's jar.
            final Path copy = Files.createTempFile("tlsnic-bcprov-lts", ".jar");
            copy.toFile().deleteOnExit();
            try (InputStream in = jar.openStream())
            {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            final ClassLoader loader = new URLClassLoader("bouncycastle-lts", new URL[] {copy.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
            final Object services = loader.loadClass("org.bouncycastle.crypto.CryptoServicesRegistrar")
                .getMethod("getNativeServices").invoke(null);
            final Class<?> servicesType = loader.loadClass("org.bouncycastle.crypto.NativeServices");
            final String status = String.valueOf(servicesType.getMethod("getStatusMessage").invoke(services));
            final String variant = String.valueOf(servicesType.getMethod("getVariant").invoke(services));
            if (!Boolean.TRUE.equals(servicesType.getMethod("hasService", String.class).invoke(services, AES_GCM_PC)))
            {
                return new Loaded(null, "Bouncy Castle LTS not loaded: no native AES-GCM on this machine (status "
                    + status + ", variant " + variant + ")");
            }
            final Factory factory = new Factory(loader);
            factory.create(new byte[16]); // the native packet cipher, not a Java fallback
            String version;
            try (JarFile file = new JarFile(copy.toFile()))
            {
                version = file.getManifest().getMainAttributes().getValue("Bundle-Version");
            }
            return new Loaded(factory, "Bouncy Castle LTS " + version + " native AESGCMPacketCipher (variant "
                + variant + ")");
        }
        catch (final IOException | ReflectiveOperationException | RuntimeException | LinkageError e)
        {
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Loaded(null, "Bouncy Castle LTS not loaded: " + cause);
        }
    }

    /** @return what {@link #load()} found, or null when nothing asked for it yet in this JVM. */
    public static synchronized String describeIfLoaded()
    {
        return loaded == null ? null : loaded.description();
    }

    /**
     * Seals or opens one record in one call.
     *
     * @param encrypt seal (true) or open.
     * @param nonce 12-byte nonce (Bouncy Castle refuses to seal twice with one nonce and key).
     * @param aad additional data, exactly its length.
     * @param in input.
     * @param inOffset first input byte.
     * @param length input bytes (open: ciphertext and tag).
     * @param out output.
     * @param outOffset first output byte.
     * @return bytes written.
     * @throws IllegalStateException when Bouncy Castle refuses (a wrong tag, a reused nonce).
     */
    public int process(final boolean encrypt, final byte[] nonce, final byte[] aad, final byte[] in,
        final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        try
        {
            final Object parameters = (Object)newParameters.invokeExact(key, 128, nonce, aad);
            return (int)processPacket.invokeExact(cipher, encrypt, parameters, in, inOffset, length, out, outOffset);
        }
        catch (final RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("Bouncy Castle LTS " + (encrypt ? "seal" : "open") + ": " + t, t);
        }
    }
}
