package io.tlsnic.stack.tls;

/**
 * The numbers of the Linux kTLS user API ({@code include/uapi/linux/tls.h}, {@code include/linux/socket.h}) and the
 * TLS content types the socket layer distinguishes (RFC 8446 §5.1).
 */
public final class Ktls
{
    /** Socket level of the TLS options. */
    public static final int SOL_TLS = 282;
    /** Option: install the TX crypto_info. */
    public static final int TLS_TX = 1;
    /** Option: install the RX crypto_info. */
    public static final int TLS_RX = 2;
    /** Option (u32 0/1): sendfile may encrypt straight from the page cache (no copy); no effect on the wire. */
    public static final int TLS_TX_ZEROCOPY_RO = 3;
    /** Option (u32 0/1, TLS 1.3 only): the peer promises unpadded records, enabling zero-copy decrypt. */
    public static final int TLS_RX_EXPECT_NO_PAD = 4;
    /** Option (u16): largest plaintext per TX record, 64 (63 for TLS 1.3) to 2^14 (RFC 8449 record_size_limit). */
    public static final int TLS_TX_MAX_PAYLOAD_LEN = 5;

    /** cmsg type on {@code sendmsg}: the content type of the records this call produces. */
    public static final int TLS_SET_RECORD_TYPE = 1;
    /** cmsg type on {@code recvmsg}: the content type of the records this call returned. */
    public static final int TLS_GET_RECORD_TYPE = 2;

    /** {@code MSG_PEEK}: read without consuming. */
    public static final int MSG_PEEK = 0x2;
    /** {@code MSG_DONTWAIT}: fail with EAGAIN instead of waiting. */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code MSG_EOR}: close the record at the end of this call (the default without MSG_MORE). */
    public static final int MSG_EOR = 0x80;
    /**
     * {@code MSG_WAITALL}: the receive target is the whole buffer instead of SO_RCVLOWAT
     * ({@code sock_rcvlowat(sk, flags & MSG_WAITALL, len)}).
     */
    public static final int MSG_WAITALL = 0x100;
    /** {@code MSG_MORE}: keep the record open for the next call. */
    public static final int MSG_MORE = 0x8000;

    /** Content type change_cipher_spec. */
    public static final int RECORD_TYPE_CHANGE_CIPHER_SPEC = 20;
    /** Content type alert. */
    public static final int RECORD_TYPE_ALERT = 21;
    /** Content type handshake. */
    public static final int RECORD_TYPE_HANDSHAKE = 22;
    /** Content type application_data. */
    public static final int RECORD_TYPE_DATA = 23;
    /** Handshake message type key_update (RFC 8446 B.3, {@code TLS_HANDSHAKE_KEYUPDATE}). */
    public static final int HANDSHAKE_KEY_UPDATE = 24;

    /** Smallest TLS_TX_MAX_PAYLOAD_LEN for TLS 1.2 ({@code TLS_MIN_RECORD_SIZE_LIM}); TLS 1.3 allows one less. */
    public static final int MIN_RECORD_SIZE_LIMIT = 64;

    private Ktls()
    {
    }
}
