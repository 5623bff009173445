package io.tlsnic.wire.crypto;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * The GCM core on the native kernel: one native state (round keys, powers of H, counter, partial block, GHASH
 * accumulator) per instance, reached by a handle. {@link #close()} wipes and frees it at once; a {@link Cleaner}
 * does the same if an instance is dropped unclosed, so a forgotten close costs memory for a while, never a leak.
 */
final class NativeGcmCore implements GcmCore
{
    private static final Cleaner CLEANER = Cleaner.create();

    private final long state;
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    /**
     * @param keyBytes AES key, 16 or 32 bytes; the caller keeps and wipes its own copy.
     */
    NativeGcmCore(final byte[] keyBytes)
    {
        state = NativeGcm.create(keyBytes);
        if (state == 0)
        {
            throw new IllegalStateException("native AES-GCM state could not be allocated");
        }
        cleanable = CLEANER.register(this, new Free(state));
    }

    @Override
    public void start(
        final boolean encrypt, final byte[] nonce, final int nonceOffset,
        final byte[] aad, final int aadOffset, final int aadLength)
    {
        checkOpen();
        try
        {
            NativeGcm.start(state, encrypt, nonce, nonceOffset, aad, aadOffset, aadLength);
        }
        finally
        {
            // Keeps this instance, and so its state, alive until the native call has returned.
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void update(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        checkOpen();
        try
        {
            NativeGcm.update(state, in, inOffset, length, out, outOffset);
        }
        finally
        {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void tag(final byte[] out, final int offset)
    {
        checkOpen();
        try
        {
            NativeGcm.tag(state, out, offset);
        }
        finally
        {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        cleanable.clean();
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("AES-GCM state already closed");
        }
    }

    /** Frees one native state; holds the handle only, never the core, so the core can become unreachable. */
    private static final class Free implements Runnable
    {
        private final long state;

        Free(final long state)
        {
            this.state = state;
        }

        @Override
        public void run()
        {
            NativeGcm.destroy(state);
        }
    }
}
