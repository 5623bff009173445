package io.tlsnic.stack.tcp;

/**
 * Who owns the arrays received payload lives in, told when TCP starts and stops referring to one (the role of
 * Linux's page refcounts under a page pool: the driver's or GRO's buffers go back to the pool once no skb holds
 * them). TCP keeps a received segment's payload without copying it, as {@link ReceivedChunk}s; every chunk it
 * creates is one {@link #retain} of its array, every chunk it drops (read, discarded, cleared) one {@link #release}.
 * A pool hands an array out again only when every retain has been released, so no byte is overwritten while a chunk
 * still refers to it. Arrays the owner does not pool are ignored.
 */
public interface ReceiveBuffers
{
    /** No pooling: TCP's arrays are the garbage collector's. */
    ReceiveBuffers UNPOOLED = new ReceiveBuffers()
    {
        @Override
        public void retain(final byte[] data)
        {
        }

        @Override
        public void release(final byte[] data)
        {
        }
    };

    /** @param data an array a new chunk refers to. */
    void retain(byte[] data);

    /** @param data the array of a chunk just dropped. */
    void release(byte[] data);
}
