package io.tlsnic.wire.crypto;

import java.util.ArrayList;
import java.util.List;

/** The engines behind {@link AesGcmStream} that tests run side by side. */
enum Engine
{
    /** The VAES/VPCLMULQDQ kernel through JNI. */
    NATIVE_KERNEL,
    /** SunJCE AES-CTR with the JDK's intrinsified GHASH (or the portable one where the JDK's cannot be reached). */
    JAVA_JDK_GHASH,
    /** SunJCE AES-CTR with the plain-Java GHASH. */
    JAVA_PORTABLE_GHASH;

    /** @return every engine this machine can run: the native kernel only where it loaded. */
    static List<Engine> available()
    {
        final List<Engine> engines = new ArrayList<>(List.of(JAVA_JDK_GHASH, JAVA_PORTABLE_GHASH));
        if (NativeGcm.isAvailable())
        {
            engines.add(0, NATIVE_KERNEL);
        }
        return engines;
    }

    /**
     * @param key AES key, 16 or 32 bytes.
     * @return a stream on this engine.
     */
    AesGcmStream stream(final byte[] key)
    {
        switch (this)
        {
            case NATIVE_KERNEL:
                return AesGcmStream.nativeKernel(key);
            case JAVA_JDK_GHASH:
                return new AesGcmStream(key, Ghash::create);
            default:
                return new AesGcmStream(key, PortableGhash::new);
        }
    }
}
