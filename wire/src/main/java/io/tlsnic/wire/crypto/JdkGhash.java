package io.tlsnic.wire.crypto;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * GHASH through the JDK's own {@code com.sun.crypto.provider.GHASH}, whose block loop HotSpot replaces with a
 * PCLMULQDQ intrinsic. SunJCE offers no public streaming GHASH and its GCM decryption buffers the whole message,
 * so an engine that must release plaintext per segment (as a NIC does) needs the hash on its own.
 *
 * <p>The class is internal: it is reached with {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED}
 * (part of the project's JVM flags). Its shape ({@code GHASH(byte[] H)}, {@code update(byte[],int,int)},
 * {@code digest()}, {@code clone()}) is the same from JDK 17 to 25. When it cannot be reached,
 * {@link Ghash#create} falls back to {@link PortableGhash}.
 */
final class JdkGhash extends Ghash
{
    private static final MethodHandle NEW;
    private static final MethodHandle UPDATE;
    private static final MethodHandle DIGEST;
    private static final MethodHandle CLONE;
    private static final boolean AVAILABLE;

    static
    {
        MethodHandle create = null;
        MethodHandle update = null;
        MethodHandle digest = null;
        MethodHandle copy = null;
        boolean ok = false;
        try
        {
            final Class<?> c = Class.forName("com.sun.crypto.provider.GHASH");
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            create = lookup.findConstructor(c, MethodType.methodType(void.class, byte[].class))
                .asType(MethodType.methodType(Object.class, byte[].class));
            update = lookup.findVirtual(c, "update", MethodType.methodType(int.class, byte[].class, int.class, int.class))
                .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            digest = lookup.findVirtual(c, "digest", MethodType.methodType(byte[].class))
                .asType(MethodType.methodType(byte[].class, Object.class));
            copy = lookup.findVirtual(c, "clone", MethodType.methodType(c))
                .asType(MethodType.methodType(Object.class, Object.class));
            ok = selfTest(create, update, digest, copy);
        }
        catch (final Throwable e)
        {
            ok = false;
        }
        NEW = create;
        UPDATE = update;
        DIGEST = digest;
        CLONE = copy;
        AVAILABLE = ok;
    }

    private final Object pristine;
    private Object state;

    JdkGhash(final byte[] h)
    {
        try
        {
            pristine = (Object)NEW.invokeExact(h.clone());
            state = (Object)CLONE.invokeExact(pristine);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("JDK GHASH could not be created", t);
        }
    }

    static boolean isAvailable()
    {
        return AVAILABLE;
    }

    @Override
    public void reset()
    {
        try
        {
            state = (Object)CLONE.invokeExact(pristine);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("JDK GHASH clone failed", t);
        }
    }

    @Override
    public void updateBlocks(final byte[] in, final int offset, final int length)
    {
        if (length == 0)
        {
            return;
        }
        try
        {
            final int ignored = (int)UPDATE.invokeExact(state, in, offset, length);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("JDK GHASH update failed", t);
        }
    }

    @Override
    public void digest(final byte[] out, final int offset)
    {
        try
        {
            final byte[] d = (byte[])DIGEST.invokeExact(state);
            System.arraycopy(d, 0, out, offset, BLOCK_LENGTH);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("JDK GHASH digest failed", t);
        }
    }

    /** Checks the internal class against the portable one before trusting it. */
    private static boolean selfTest(
        final MethodHandle create, final MethodHandle update, final MethodHandle digest, final MethodHandle copy)
        throws Throwable
    {
        final byte[] h = new byte[BLOCK_LENGTH];
        final byte[] data = new byte[3 * BLOCK_LENGTH];
        for (int i = 0; i < h.length; i++)
        {
            h[i] = (byte)(0x3d * i + 7);
        }
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)(0x5b * i + 1);
        }
        final Object g = (Object)copy.invokeExact((Object)create.invokeExact(h));
        final int ignored = (int)update.invokeExact(g, data, 0, data.length);
        final byte[] fast = (byte[])digest.invokeExact(g);
        final PortableGhash reference = new PortableGhash(h);
        reference.updateBlocks(data, 0, data.length);
        final byte[] slow = new byte[BLOCK_LENGTH];
        reference.digest(slow, 0);
        return java.util.Arrays.equals(fast, slow);
    }
}
