package io.tlsnic.stack.tcp;

/** Sees the readable receive data one chunk at a time; see {@link TcpConnection#forEachReadableChunk}. */
@FunctionalInterface
public interface ChunkVisitor
{
    /**
     * @param seq TCP sequence number of the chunk's first byte.
     * @param data array holding the bytes; must not be written.
     * @param offset where the chunk starts in {@code data}.
     * @param length chunk length in bytes, at least 1.
     * @param mark the device mark every byte of the chunk arrived with ({@link TcpSegment#mark()}).
     * @return true to see the next chunk, false to stop.
     */
    boolean onChunk(int seq, byte[] data, int offset, int length, int mark);
}
