package io.tlsnic.stack.tls;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

import io.tlsnic.stack.tls.device.RxRecordHandler;
import io.tlsnic.wire.crypto.RecordProtection;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.Errno;
import io.tlsnic.wire.tls.TlsErrnoException;
import io.tlsnic.wire.tls.TlsVersion;

/**
 * A TCP socket with the Linux kTLS upper-layer protocol, in Java form (Linux {@code net/tls/tls_main.c} for setup
 * and options; the data path is {@link TlsSwTx} and {@link TlsSwRx}). Calls mirror the system calls; a failure is a
 * {@link TlsErrnoException} carrying the errno the system call would set.
 * <p>
 * Until {@code setUlp("tls")} and until a direction has its crypto_info, that direction passes bytes through to
 * TCP unchanged ({@code TLS_BASE}). TX and RX are configured independently and must agree on version and cipher.
 * The socket registers itself as the transport's {@link TcpTransport.Listener}.
 */
public final class KtlsSocket implements TcpTransport.Listener, io.tlsnic.stack.dev.TlsOffloadSocket
{
    private static final String ULP_TLS = "tls";
    /**
     * Largest SO_RCVLOWAT: {@code tcp_set_rcvlowat} caps the value at half of {@code net.ipv4.tcp_rmem[2]}
     * (default 6 MiB) when SO_RCVBUF is not locked, which the emulator assumes.
     */
    public static final int MAX_RCVLOWAT = (6 << 20) >> 1;

    private final TcpTransport transport;
    private final TlsCounters counters;
    private boolean ulpAttached;
    private TlsSwTx tx;
    private TlsSwRx rx;
    private boolean zeroCopySendfile;
    private int txMaxPayloadLength = RecordProtection.MAX_PLAINTEXT_LENGTH;
    private boolean closing;
    private boolean outputShut;
    private int rxDeviceHandle = -1;
    private boolean txDeviceDeleted;
    private int rcvLowat = 1;
    private RxRecordObserver rxObserver;
    private boolean deviceRekey;

    /**
     * @param transport the TCP connection.
     * @param counters  the host's TLS counters.
     */
    public KtlsSocket(final TcpTransport transport, final TlsCounters counters)
    {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.counters = Objects.requireNonNull(counters, "counters");
        transport.setListener(this);
    }

    /**
     * {@code setsockopt(fd, SOL_TCP, TCP_ULP, name)}: attaches the TLS upper-layer protocol
     * ({@code tcp_set_ulp}, {@code tls_init}).
     *
     * @param name ULP name; only {@code "tls"} exists.
     * @throws TlsErrnoException ENOENT for an unknown name, EEXIST when a ULP is attached, ENOTCONN when the
     *                           connection is not ESTABLISHED.
     */
    public void setUlp(final String name)
    {
        requireOpen();
        if (!ULP_TLS.equals(name))
        {
            throw new TlsErrnoException(Errno.ENOENT, "no TCP ULP named \"" + name + "\" (only \"tls\")");
        }
        if (ulpAttached)
        {
            throw new TlsErrnoException(Errno.EEXIST, "TCP ULP \"tls\" is already attached");
        }
        if (!transport.isEstablished())
        {
            throw new TlsErrnoException(Errno.ENOTCONN, "TCP ULP \"tls\" needs an ESTABLISHED connection");
        }
        ulpAttached = true;
    }

    /**
     * {@code setsockopt(fd, SOL_TLS, optname, optval, optlen)} ({@code do_tls_setsockopt}).
     * <ul>
     *   <li>TLS_TX / TLS_RX: a raw crypto_info. A second one on the same direction is a rekey: TLS 1.2 refuses it
     *       (EBUSY), TLS 1.3 accepts it with the same version and cipher (else EINVAL). TX and RX must use the same
     *       version and cipher (EINVAL). An open TX record is closed with the old key before a TX rekey.</li>
     *   <li>TLS_TX_ZEROCOPY_RO: u32 0 or 1, exactly 4 bytes.</li>
     *   <li>TLS_RX_EXPECT_NO_PAD: u32 0 or 1 (trailing bytes must be zero), TLS 1.3 with RX configured only.</li>
     *   <li>TLS_TX_MAX_PAYLOAD_LEN: u16, exactly 2 bytes, 64 (63 for TLS 1.3) to 2^14; EBUSY while a record
     *       is open.</li>
     * </ul>
     * Numbers are read little-endian, as an x86-64 or arm64 host passes them.
     *
     * @param level   must be {@link Ktls#SOL_TLS}.
     * @param optname option.
     * @param optval  value bytes.
     * @param off     first byte.
     * @param len     {@code optlen}.
     */
    public void setsockopt(final int level, final int optname, final byte[] optval, final int off, final int len)
    {
        requireOpen();
        requireTlsLevel(level);
        Objects.checkFromIndexSize(off, len, optval.length);
        switch (optname)
        {
            case Ktls.TLS_TX:
            case Ktls.TLS_RX:
                setCryptoInfo(optname == Ktls.TLS_TX, optval, off, len);
                break;
            case Ktls.TLS_TX_ZEROCOPY_RO:
                if (len != Integer.BYTES)
                {
                    throw new TlsErrnoException(Errno.EINVAL, "TLS_TX_ZEROCOPY_RO optlen " + len + " is not 4");
                }
                zeroCopySendfile = readBoolean("TLS_TX_ZEROCOPY_RO", readIntLittleEndian(optval, off));
                break;
            case Ktls.TLS_RX_EXPECT_NO_PAD:
                setExpectNoPad(optval, off, len);
                break;
            case Ktls.TLS_TX_MAX_PAYLOAD_LEN:
                setTxMaxPayloadLength(optval, off, len);
                break;
            default:
                throw new TlsErrnoException(Errno.ENOPROTOOPT, "SOL_TLS option " + optname + " is unknown");
        }
    }

    /**
     * Shorthand for {@link #setsockopt(int, int, byte[], int, int)} over the whole array.
     *
     * @param level   must be {@link Ktls#SOL_TLS}.
     * @param optname option.
     * @param optval  value bytes.
     */
    public void setsockopt(final int level, final int optname, final byte[] optval)
    {
        setsockopt(level, optname, optval, 0, optval.length);
    }

    /**
     * {@code getsockopt(fd, SOL_TLS, optname, optval, &optlen)} ({@code do_tls_getsockopt}).
     * TLS_TX / TLS_RX: a buffer shorter than the 4-byte header is EINVAL; exactly 4 bytes gets version and cipher
     * only; otherwise the length must be the cipher's struct size (EINVAL) and the whole struct is returned with the
     * key as set and the iv and rec_seq as they are now (TLS 1.2 AES-GCM: the explicit nonce of the next record).
     * A direction with no crypto_info is EBUSY.
     *
     * @param level   must be {@link Ktls#SOL_TLS}.
     * @param optname option.
     * @param optval  destination.
     * @param off     first byte.
     * @param len     {@code optlen} on entry.
     * @return {@code optlen} on return: bytes written.
     */
    public int getsockopt(final int level, final int optname, final byte[] optval, final int off, final int len)
    {
        requireOpen();
        requireTlsLevel(level);
        Objects.checkFromIndexSize(off, len, optval.length);
        switch (optname)
        {
            case Ktls.TLS_TX:
            case Ktls.TLS_RX:
                return getCryptoInfo(optname == Ktls.TLS_TX, optval, off, len);
            case Ktls.TLS_TX_ZEROCOPY_RO:
                return writeIntOption("TLS_TX_ZEROCOPY_RO", zeroCopySendfile ? 1 : 0, optval, off, len);
            case Ktls.TLS_RX_EXPECT_NO_PAD:
                if (version() != TlsVersion.TLS_1_3)
                {
                    throw new TlsErrnoException(Errno.EINVAL, "TLS_RX_EXPECT_NO_PAD exists only for TLS 1.3 (socket: " +
                        version() + ")");
                }
                return writeIntOption("TLS_RX_EXPECT_NO_PAD", rx != null && rx.expectNoPad() ? 1 : 0, optval, off, len);
            case Ktls.TLS_TX_MAX_PAYLOAD_LEN:
                if (len < Short.BYTES)
                {
                    throw new TlsErrnoException(Errno.EINVAL, "TLS_TX_MAX_PAYLOAD_LEN optlen " + len + " is below 2");
                }
                optval[off] = (byte)txMaxPayloadLength;
                optval[off + 1] = (byte)(txMaxPayloadLength >>> 8);
                return Short.BYTES;
            default:
                throw new TlsErrnoException(Errno.ENOPROTOOPT, "SOL_TLS option " + optname + " is unknown");
        }
    }

    /**
     * {@code setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &value, 4)} ({@code sock_setsockopt}, {@code tcp_set_rcvlowat}):
     * the receive target of calls without MSG_WAITALL. A negative value means INT_MAX; the value is capped at
     * {@link #MAX_RCVLOWAT}; 0 is stored as 1. See {@link TlsSwRx} for what the target does in the emulator (a
     * blocking call below its target fails with EAGAIN and consumes nothing; MSG_DONTWAIT ignores it).
     *
     * @param value the option value.
     */
    public void setRcvLowat(final int value)
    {
        requireOpen();
        final int capped = Math.min(value < 0 ? Integer.MAX_VALUE : value, MAX_RCVLOWAT);
        rcvLowat = Math.max(capped, 1);
    }

    /** @return {@code getsockopt(fd, SOL_SOCKET, SO_RCVLOWAT)}: the stored low-water mark (1 by default). */
    public int rcvLowat()
    {
        requireOpen();
        return rcvLowat;
    }

    /**
     * {@code send(fd, b, len, flags)}: data records; MSG_MORE keeps the record open, MSG_EOR (or no MSG_MORE)
     * closes it, MSG_DONTWAIT turns a full send buffer into EAGAIN.
     *
     * @return bytes taken; fewer than {@code len} when the send buffer filled after some were taken.
     */
    public int send(final byte[] b, final int off, final int len, final int flags)
    {
        return sendmsg(b, off, len, flags, -1);
    }

    /**
     * {@code sendmsg} with an optional {@link Ktls#TLS_SET_RECORD_TYPE} cmsg. A record type other than data flushes
     * the open data record and produces records of that type only, split at the max payload; MSG_MORE with the
     * cmsg is EINVAL ({@code tls_process_cmsg}).
     *
     * @param recordType the cmsg value, or -1 for no cmsg.
     * @return bytes taken.
     */
    public int sendmsg(final byte[] b, final int off, final int len, final int flags, final int recordType)
    {
        Objects.checkFromIndexSize(off, len, b.length);
        requireOpen();
        requireWritable();
        if (tx == null)
        {
            if (recordType >= 0)
            {
                throw new TlsErrnoException(Errno.EINVAL, "TLS_SET_RECORD_TYPE cmsg without TLS_TX");
            }
            final int n = transport.send(b, off, len);
            if (n == 0 && len > 0)
            {
                throw new TlsErrnoException((flags & Ktls.MSG_DONTWAIT) != 0 ? Errno.EAGAIN : Errno.ENOMEM,
                    "TCP send buffer full");
            }
            return n;
        }
        return tx.send(b, off, len, flags, recordType, txMaxPayloadLength);
    }

    /**
     * {@code sendmsg} with several iovecs ({@code msg_iov}, {@code msg_iovlen}): the buffers' remaining bytes, in
     * order, are one message, framed exactly as one {@link #sendmsg(byte[], int, int, int, int)} of their
     * concatenation (Linux copies the iov_iter into the open record without regard to iovec boundaries). The
     * positions of the buffers advance by the bytes taken, as with a {@link java.nio.channels.GatheringByteChannel}.
     *
     * @param iov        the buffers (heap or direct); their remaining bytes total at most {@code Integer.MAX_VALUE}.
     * @param flags      as for {@link #sendmsg(byte[], int, int, int, int)}.
     * @param recordType the TLS_SET_RECORD_TYPE cmsg value, or -1 for no cmsg.
     * @return bytes taken.
     */
    public int sendmsg(final ByteBuffer[] iov, final int flags, final int recordType)
    {
        final byte[] message = new byte[iovLength(iov)];
        int at = 0;
        for (final ByteBuffer buffer : iov)
        {
            final int n = buffer.remaining();
            buffer.duplicate().get(message, at, n);
            at += n;
        }
        final int taken = sendmsg(message, 0, message.length, flags, recordType);
        int left = taken;
        for (final ByteBuffer buffer : iov)
        {
            final int n = Math.min(left, buffer.remaining());
            buffer.position(buffer.position() + n);
            left -= n;
        }
        return taken;
    }

    /**
     * {@code sendfile(fd, file, &position, count)}: data records of the max payload size, the last one closed at
     * the end; the channel's own position is not moved.
     *
     * @return bytes sent.
     */
    public long sendfile(final FileChannel channel, final long position, final long count)
    {
        requireOpen();
        requireWritable();
        if (tx == null)
        {
            throw new TlsErrnoException(Errno.EINVAL, "sendfile in plain TCP is not emulated; set TLS_TX first");
        }
        return tx.sendfile(channel, position, count, txMaxPayloadLength);
    }

    /**
     * {@code recv(fd, b, len, flags)}: {@link #recvmsg} without a cmsg buffer.
     *
     * @return bytes read; 0 at EOF.
     */
    public int recv(final byte[] b, final int off, final int len, final int flags)
    {
        return recvmsg(b, off, len, flags, null);
    }

    /**
     * {@code recvmsg} with an optional cmsg buffer for {@link Ktls#TLS_GET_RECORD_TYPE}; see {@link TlsSwRx} for the
     * record semantics. MSG_PEEK reads without consuming. MSG_WAITALL and SO_RCVLOWAT ({@link #setRcvLowat}) set the
     * call's target; a blocking call (no MSG_DONTWAIT) that would sleep below it fails with EAGAIN, consuming nothing.
     *
     * @param cmsg the cmsg buffer, or {@code null} for none (a control record then fails with EIO).
     * @return bytes read; 0 at EOF (or for an empty control record, whose type is in the cmsg).
     */
    public int recvmsg(final byte[] b, final int off, final int len, final int flags, final RecordTypeCmsg cmsg)
    {
        Objects.checkFromIndexSize(off, len, b.length);
        requireOpen();
        if (cmsg != null)
        {
            cmsg.clear();
        }
        if (rx == null)
        {
            return plainRecv(b, off, len, flags);
        }
        return rx.recvmsg(b, off, len, flags, cmsg, rcvLowat);
    }

    /**
     * {@code recvmsg} into several iovecs: the same call as {@link #recvmsg(byte[], int, int, int, RecordTypeCmsg)}
     * with {@code len} = the buffers' remaining bytes, the bytes scattered over the buffers in order (whose positions
     * advance, as with a {@link java.nio.channels.ScatteringByteChannel}).
     *
     * @param iov   the buffers; their remaining bytes total at most {@code Integer.MAX_VALUE}.
     * @param flags as for the array form.
     * @param cmsg  the cmsg buffer, or {@code null}.
     * @return bytes read; 0 at EOF (or for an empty control record).
     */
    public int recvmsg(final ByteBuffer[] iov, final int flags, final RecordTypeCmsg cmsg)
    {
        final byte[] message = new byte[iovLength(iov)];
        final int n = recvmsg(message, 0, message.length, flags, cmsg);
        int at = 0;
        for (final ByteBuffer buffer : iov)
        {
            final int part = Math.min(n - at, buffer.remaining());
            buffer.put(message, at, part);
            at += part;
        }
        return n;
    }

    /** {@code shutdown(SHUT_WR)}: FIN after the pending records; an open MSG_MORE record is not sent. */
    public void shutdownOutput()
    {
        requireOpen();
        outputShut = true;
        if (tx != null)
        {
            tx.discardOpenRecord();
        }
        finishOutput();
    }

    /**
     * {@code close(fd)}: the open MSG_MORE record is dropped (Linux frees {@code open_rec}), records already closed
     * are still delivered, then the transport closes. The {@code TlsCurr*} gauges go down. The descriptor is gone:
     * every later call except {@code close} (a no-op here) fails with EBADF.
     */
    public void close()
    {
        if (closing)
        {
            return;
        }
        closing = true;
        outputShut = true;
        if (tx != null)
        {
            tx.discardOpenRecord();
            counters.decrement(tx.device() != null ? TlsStat.TLS_CURR_TX_DEVICE : TlsStat.TLS_CURR_TX_SW);
        }
        if (rx != null)
        {
            counters.decrement(rxDeviceHandle >= 0 ? TlsStat.TLS_CURR_RX_DEVICE : TlsStat.TLS_CURR_RX_SW);
            if (rxDeviceHandle >= 0)
            {
                transport.deviceBinding().ops().del(io.tlsnic.stack.dev.TlsDirection.RX, rxDeviceHandle);
            }
        }
        finishOutput();
        deleteTxContextWhenDrained();
    }

    /**
     * Tells {@code observer} of every RX record this socket opens from now on: its TCP seq, record number, class
     * (who decrypted it), type and content. Not a kernel API: a hook for capture replay and tests.
     *
     * @param observer the observer, or null for none.
     */
    public void setRxRecordObserver(final RxRecordObserver observer)
    {
        this.rxObserver = observer;
        if (rx != null)
        {
            rx.observe(observer);
        }
    }

    /** @return TCP seq where the next TX record starts (for the device bookkeeping and tests). */
    public long writeSeq()
    {
        return transport.writeSeq();
    }

    /** @return ciphertext bytes sealed but not yet taken by the transport. */
    public long pendingTxBytes()
    {
        return tx == null ? 0 : tx.pendingBytes();
    }

    @Override
    public void onReadable()
    {
        // Records are framed when read; nothing waits for data in the emulator (Linux: tls_data_ready wakes readers).
    }

    @Override
    public void onAckAdvanced(final long sndUna)
    {
        // Software frees records when TCP takes them; the device keeps them until ACKed (tls_device.c clean_acked).
        if (tx != null && tx.device() != null)
        {
            tx.device().onAckAdvanced(sndUna);
            deleteTxContextWhenDrained();
        }
    }

    /**
     * Emulator extension, not in Linux (whose offloaded directions refuse a TLS 1.3 rekey with an error): lets a
     * TLS_TX or TLS_RX rekey of an offloaded direction go through, the way a device without in-place rekey can
     * still serve a KeyUpdate.
     * <ul>
     *   <li>TX: drain, then reinstall. The new key is taken only when every record under the old key has been
     *       acknowledged (no retransmission can need the old key any more) and no record is open; until then the
     *       call fails with EAGAIN and changes nothing, and the application must not send (KeyUpdate sent, new key
     *       not yet installed). Then the old device context is deleted and a new one added at the write seq with
     *       the new key and rec_seq.</li>
     *   <li>RX: the device context is deleted and the direction continues in software with the new key. Bytes of
     *       records after the KeyUpdate that the device had already processed with the old context (packets that
     *       arrived before the delete took effect) get the old context's keystream re-applied, at the record
     *       numbers the old context counted, before software decryption; no resync answers are given any more.</li>
     * </ul>
     *
     * @param enabled whether offloaded directions may be rekeyed so.
     */
    public void setDeviceRekey(final boolean enabled)
    {
        this.deviceRekey = enabled;
    }

    private void rekeyOffloadedTx(final CryptoInfo info)
    {
        if (tx.pendingBytes() > 0 || tx.hasOpenRecord() || !tx.device().allRecordsAcked())
        {
            throw new TlsErrnoException(Errno.EAGAIN, "TLS_TX rekey of an offloaded direction waits until every "
                + "record under the old key is acknowledged");
        }
        tx.device().delete();
        final TlsSwTx newTx = new TlsSwTx(transport, info);
        newTx.takeOver(tx);
        if (!offloadTx(newTx, info))
        {
            transport.setTxOffload(null);
            counters.decrement(TlsStat.TLS_CURR_TX_DEVICE);
            counters.increment(TlsStat.TLS_CURR_TX_SW);
        }
        counters.increment(TlsStat.TLS_TX_REKEY_OK);
        tx = newTx;
    }

    /**
     * Adds a TX context for the key at the write seq and hands {@code newTx}'s records to it (tls_set_device_offload).
     *
     * @return false when the device did not take the context (the records stay in software).
     */
    private boolean offloadTx(final TlsSwTx newTx, final CryptoInfo info)
    {
        final long writeSeq = transport.writeSeq();
        final int handle = addToDevice(io.tlsnic.stack.dev.TlsDirection.TX, info, writeSeq);
        if (handle < 0)
        {
            return false;
        }
        final TlsDeviceTx offload = new TlsDeviceTx(transport.deviceBinding().ops(), handle, info, writeSeq);
        newTx.offloadTo(offload);
        transport.setTxOffload(offload);
        transport.setSendBufferPin(offload::pinnedFrom);
        return true;
    }

    private void rekeyOffloadedRx(final CryptoInfo info)
    {
        final long oldContextNext = rx.nextRecordNumber();
        final RxRecordHandler oldHandler = rx.handler();
        transport.deviceBinding().ops().del(io.tlsnic.stack.dev.TlsDirection.RX, rxDeviceHandle);
        rxDeviceHandle = -1;
        counters.decrement(TlsStat.TLS_CURR_RX_DEVICE);
        counters.increment(TlsStat.TLS_CURR_RX_SW);
        rx.install(info);
        rx.offload(new RekeyedRecordHandler((DeviceRecordHandler)oldHandler, oldContextNext,
            new SwRecordHandler(rx.cipher())), null);
        counters.increment(TlsStat.TLS_RX_REKEY_OK);
    }

    /** The device's TX context goes once the socket is closed and every record it encrypted is ACKed. */
    private void deleteTxContextWhenDrained()
    {
        if (closing && tx != null && tx.device() != null && !txDeviceDeleted && tx.pendingBytes() == 0
            && tx.device().allRecordsAcked())
        {
            txDeviceDeleted = true;
            tx.device().delete();
        }
    }

    @Override
    public void onRxResyncRequest(final long tcpSeq)
    {
        if (rx != null && rx.resync() != null)
        {
            rx.resync().onRequest(tcpSeq & 0xFFFF_FFFFL);
        }
    }

    @Override
    public void onRxResyncAsync(final long tcpSeq, final boolean progress)
    {
        if (rx != null && rx.resync() != null)
        {
            rx.resync().onAsync(tcpSeq & 0xFFFF_FFFFL, progress);
        }
    }

    /** @return whether TX runs on the device (tls_dev_add succeeded). */
    public boolean txOffloaded()
    {
        return tx != null && tx.device() != null;
    }

    /** @return whether RX runs on the device. */
    public boolean rxOffloaded()
    {
        return rxDeviceHandle >= 0;
    }

    /**
     * Installs a context on the transport's device when it offloads this direction, version and cipher.
     *
     * @return the handle, or -1 when the direction runs in software.
     */
    private int addToDevice(final io.tlsnic.stack.dev.TlsDirection direction, final CryptoInfo info, final long seq)
    {
        final TcpTransport.DeviceBinding binding = transport.deviceBinding();
        if (binding == null || seq < 0 || !binding.capabilities().supports(direction, info.version(), info.cipher()))
        {
            return -1;
        }
        final int handle = binding.ops().add(direction, info, seq, binding.flow(), this);
        return handle >= 0 ? handle : -1;
    }

    @Override
    public void onWritable()
    {
        if (tx != null)
        {
            tx.push();
        }
        if (outputShut)
        {
            finishOutput();
        }
    }

    private void finishOutput()
    {
        if (tx != null)
        {
            tx.push();
            if (tx.pendingBytes() > 0)
            {
                return;
            }
        }
        if (closing)
        {
            transport.close();
        }
        else
        {
            transport.shutdownOutput();
        }
    }

    private void setCryptoInfo(final boolean isTx, final byte[] optval, final int off, final int len)
    {
        final String name = isTx ? "TLS_TX" : "TLS_RX";
        if (len < CryptoInfo.HEADER_LENGTH)
        {
            throw new TlsErrnoException(Errno.EINVAL, name + " optlen " + len + " is shorter than the 4-byte header");
        }
        final CryptoInfo existing = isTx ? (tx == null ? null : tx.cryptoInfo()) : (rx == null ? null : rx.cryptoInfo());
        final boolean update = existing != null;
        final TlsStat rekeyError = isTx ? TlsStat.TLS_TX_REKEY_ERROR : TlsStat.TLS_RX_REKEY_ERROR;
        final boolean offloaded = update && (isTx ? tx.device() != null : rxDeviceHandle >= 0);
        if (offloaded && !deviceRekey)
        {
            counters.increment(rekeyError);
            throw new TlsErrnoException(Errno.EBUSY, name + " is offloaded to the device, which has no rekey");
        }
        if (update && existing.version() != TlsVersion.TLS_1_3)
        {
            counters.increment(rekeyError);
            throw new TlsErrnoException(Errno.EBUSY, name + " is already set and " + existing.version() +
                " has no rekey");
        }
        final CryptoInfo info;
        try
        {
            info = CryptoInfo.parse(optval, off, len);
            final CryptoInfo other = isTx ? (rx == null ? null : rx.cryptoInfo()) : (tx == null ? null : tx.cryptoInfo());
            requireSameSuite(name, info, isTx ? "TLS_RX" : "TLS_TX", other);
            requireSameSuite(name, info, "the current " + name, existing);
        }
        catch (final TlsErrnoException e)
        {
            if (update)
            {
                counters.increment(rekeyError);
            }
            throw e;
        }
        if (isTx && offloaded)
        {
            rekeyOffloadedTx(info);
        }
        else if (update && !isTx && offloaded)
        {
            rekeyOffloadedRx(info);
        }
        else if (isTx)
        {
            final TlsSwTx newTx = new TlsSwTx(transport, info);
            if (update)
            {
                newTx.takeOver(tx);
                counters.increment(TlsStat.TLS_TX_REKEY_OK);
            }
            else
            {
                if (offloadTx(newTx, info))
                {
                    counters.increment(TlsStat.TLS_TX_DEVICE);
                    counters.increment(TlsStat.TLS_CURR_TX_DEVICE);
                }
                else
                {
                    counters.increment(TlsStat.TLS_TX_SW);
                    counters.increment(TlsStat.TLS_CURR_TX_SW);
                }
            }
            tx = newTx;
        }
        else if (update)
        {
            rx.install(info);
            counters.increment(TlsStat.TLS_RX_REKEY_OK);
        }
        else
        {
            rx = new TlsSwRx(transport, info, counters);
            rx.observe(rxObserver);
            rxDeviceHandle = addToDevice(io.tlsnic.stack.dev.TlsDirection.RX, info, transport.readSeq());
            if (rxDeviceHandle >= 0)
            {
                rx.offload(new DeviceRecordHandler(info, rx.cipher()),
                    new RxResyncResponder(transport.deviceBinding().ops(), rxDeviceHandle, counters));
                counters.increment(TlsStat.TLS_RX_DEVICE);
                counters.increment(TlsStat.TLS_CURR_RX_DEVICE);
            }
            else
            {
                counters.increment(TlsStat.TLS_RX_SW);
                counters.increment(TlsStat.TLS_CURR_RX_SW);
            }
        }
    }

    private static void requireSameSuite(
        final String name, final CryptoInfo info, final String otherName, final CryptoInfo other)
    {
        if (other != null && (other.version() != info.version() || other.cipher() != info.cipher()))
        {
            throw new TlsErrnoException(Errno.EINVAL, name + " " + info.version() + " " + info.cipher() +
                " differs from " + otherName + " " + other.version() + " " + other.cipher());
        }
    }

    private int getCryptoInfo(final boolean isTx, final byte[] optval, final int off, final int len)
    {
        final String name = isTx ? "TLS_TX" : "TLS_RX";
        if (len < CryptoInfo.HEADER_LENGTH)
        {
            throw new TlsErrnoException(Errno.EINVAL, name + " optlen " + len + " is shorter than the 4-byte header");
        }
        final CryptoInfo set = isTx ? (tx == null ? null : tx.cryptoInfo()) : (rx == null ? null : rx.cryptoInfo());
        if (set == null)
        {
            throw new TlsErrnoException(Errno.EBUSY, name + " has no crypto_info set");
        }
        if (len != CryptoInfo.HEADER_LENGTH && len != set.encodedLength())
        {
            throw new TlsErrnoException(Errno.EINVAL, name + " optlen " + len + " is neither 4 nor " +
                set.encodedLength() + " for " + set.cipher());
        }
        final CryptoInfo now = CryptoInfo.of(set.version(), set.cipher(), isTx ? tx.currentIv() : rx.currentIv(),
            set.key(), set.salt(), isTx ? tx.nextRecordNumber() : rx.nextRecordNumber());
        final byte[] bytes = now.toBytes();
        try
        {
            System.arraycopy(bytes, 0, optval, off, len);
            return len;
        }
        finally
        {
            java.util.Arrays.fill(bytes, (byte)0);
            now.destroy();
        }
    }

    private void setExpectNoPad(final byte[] optval, final int off, final int len)
    {
        if (version() != TlsVersion.TLS_1_3)
        {
            throw new TlsErrnoException(Errno.EINVAL, "TLS_RX_EXPECT_NO_PAD exists only for TLS 1.3 (socket: " +
                version() + ")");
        }
        if (len < Integer.BYTES)
        {
            throw new TlsErrnoException(Errno.EINVAL, "TLS_RX_EXPECT_NO_PAD optlen " + len + " is below 4");
        }
        final boolean value = readBoolean("TLS_RX_EXPECT_NO_PAD", readIntLittleEndian(optval, off));
        for (int i = Integer.BYTES; i < len; i++)
        {
            if (optval[off + i] != 0)
            {
                throw new TlsErrnoException(Errno.EINVAL, "TLS_RX_EXPECT_NO_PAD byte " + i + " past the u32 is not 0");
            }
        }
        if (rx == null)
        {
            throw new TlsErrnoException(Errno.EINVAL, "TLS_RX_EXPECT_NO_PAD needs TLS_RX set first");
        }
        rx.expectNoPad(value);
    }

    private void setTxMaxPayloadLength(final byte[] optval, final int off, final int len)
    {
        if (tx != null && tx.hasOpenRecord())
        {
            throw new TlsErrnoException(Errno.EBUSY, "TLS_TX_MAX_PAYLOAD_LEN while a MSG_MORE record is open");
        }
        if (len != Short.BYTES)
        {
            throw new TlsErrnoException(Errno.EINVAL, "TLS_TX_MAX_PAYLOAD_LEN optlen " + len + " is not 2");
        }
        final int value = (optval[off] & 0xFF) | (optval[off + 1] & 0xFF) << 8;
        final int min = Ktls.MIN_RECORD_SIZE_LIMIT - (version() == TlsVersion.TLS_1_3 ? 1 : 0);
        if (value < min || value > RecordProtection.MAX_PLAINTEXT_LENGTH)
        {
            throw new TlsErrnoException(Errno.EINVAL, "TLS_TX_MAX_PAYLOAD_LEN " + value + " is outside " + min +
                ".." + RecordProtection.MAX_PLAINTEXT_LENGTH);
        }
        txMaxPayloadLength = value;
    }

    /** @return the version either direction was configured with ({@code ctx->prot_info.version}), or null. */
    private TlsVersion version()
    {
        return tx != null ? tx.cryptoInfo().version() : rx != null ? rx.cryptoInfo().version() : null;
    }

    private void requireTlsLevel(final int level)
    {
        if (level != Ktls.SOL_TLS)
        {
            throw new TlsErrnoException(Errno.ENOPROTOOPT, "level " + level + " is not SOL_TLS (282)");
        }
        if (!ulpAttached)
        {
            throw new TlsErrnoException(Errno.ENOPROTOOPT, "SOL_TLS option before TCP_ULP \"tls\"");
        }
    }

    private void requireOpen()
    {
        if (closing)
        {
            throw new TlsErrnoException(Errno.EBADF, "socket is closed");
        }
    }

    private void requireWritable()
    {
        if (outputShut)
        {
            throw new TlsErrnoException(Errno.EPIPE, "send after shutdown or close");
        }
    }

    /** {@code tcp_recvmsg}: takes what is there, up to {@code len}; a blocking call below its target would wait. */
    private int plainRecv(final byte[] b, final int off, final int len, final int flags)
    {
        final int available = Math.min(len, transport.readableBytes());
        final int target = TlsSwRx.target(flags, len, rcvLowat);
        if (available > 0 && available < target && (flags & Ktls.MSG_DONTWAIT) == 0 && !transport.finReceived())
        {
            throw new TlsErrnoException(Errno.EAGAIN, "a blocking recv would wait: " + available + " of " + target +
                " bytes");
        }
        if (available == 0)
        {
            if (transport.finReceived() || len == 0)
            {
                return 0;
            }
            throw new TlsErrnoException(Errno.EAGAIN, "no bytes to read");
        }
        final int[] copied = {0};
        transport.forEachReadableChunk((seq, buffer, offset, length, mark) ->
        {
            final int n = Math.min(length, available - copied[0]);
            System.arraycopy(buffer, offset, b, off + copied[0], n);
            copied[0] += n;
            return copied[0] < available;
        });
        if ((flags & Ktls.MSG_PEEK) == 0)
        {
            transport.consume(available);
        }
        return available;
    }

    private static int writeIntOption(
        final String name, final int value, final byte[] optval, final int off, final int len)
    {
        if (len < Integer.BYTES)
        {
            throw new TlsErrnoException(Errno.EINVAL, name + " optlen " + len + " is below 4");
        }
        for (int i = 0; i < Integer.BYTES; i++)
        {
            optval[off + i] = (byte)(value >>> (8 * i));
        }
        return Integer.BYTES;
    }

    private static boolean readBoolean(final String name, final int value)
    {
        if (value != 0 && value != 1)
        {
            throw new TlsErrnoException(Errno.EINVAL, name + " value " + Integer.toUnsignedString(value) +
                " is neither 0 nor 1");
        }
        return value == 1;
    }

    private static int readIntLittleEndian(final byte[] b, final int off)
    {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    /** @return the iovecs' remaining bytes in total; EINVAL above INT_MAX, as Linux refuses. */
    private static int iovLength(final ByteBuffer[] iov)
    {
        long total = 0;
        for (final ByteBuffer buffer : iov)
        {
            total += buffer.remaining();
        }
        if (total > Integer.MAX_VALUE)
        {
            throw new TlsErrnoException(Errno.EINVAL, "iovecs total " + total + " bytes, above INT_MAX");
        }
        return (int)total;
    }
}
