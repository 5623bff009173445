package io.tlsnic.harness.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tlsnic.wire.keys.KeyLog;
import io.tlsnic.wire.keys.Tls13KeySchedule;
import io.tlsnic.wire.keys.TrafficKeys;
import io.tlsnic.wire.tls.CryptoInfo;
import io.tlsnic.wire.tls.TlsRecordHeader;
import io.tlsnic.wire.tls.TlsVersion;
import io.tlsnic.wire.util.Hex;

/**
 * The application side of one direction after kTLS took over: collects what the receiver delivers (plaintext digest
 * and optional copy, record classes, control records), answers TLS 1.3 KeyUpdates with the next key as a TLS library
 * does, and feeds every record to the {@link TxVerifier}.
 */
final class DirectionReplay implements RecordListener
{
    /** A record's place in the stream, for the event log. */
    record Span(long tcpSeq, int length, String label)
    {
    }

    private final DirectionSetup setup;
    private final CipherSuite suite;
    private final byte[] clientRandom;
    private final KeySource keys;
    private final boolean fromClient;
    private final OutputStream plaintextCopy;
    private final MessageDigest digest;
    private final TxVerifier txVerifier = new TxVerifier();
    private final Map<RecordClass, Long> classes = new EnumMap<>(RecordClass.class);
    private final Map<String, Long> controlRecords = new LinkedHashMap<>();
    private final List<Span> spans = new ArrayList<>();
    private RecordReceiver receiver;
    private byte[] trafficSecret;
    private long plaintextBytes;
    private long records;
    private long incompleteRecords;
    private long keyUpdates;
    private String error;

    DirectionReplay(
        final DirectionSetup setup, final CipherSuite suite, final byte[] clientRandom, final KeySource keys,
        final boolean fromClient, final OutputStream plaintextCopy)
    {
        this.setup = setup;
        this.suite = suite;
        this.clientRandom = clientRandom;
        this.keys = keys;
        this.fromClient = fromClient;
        this.plaintextCopy = plaintextCopy;
        this.trafficSecret = setup.trafficSecret();
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException e)
        {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        txVerifier.install(setup.cryptoInfo());
        if (setup.earlyData().length > 0)
        {
            application(setup.earlyData());
        }
    }

    /** @param receiver the receiver this listener answers (for KeyUpdate). */
    void attach(final RecordReceiver receiver)
    {
        this.receiver = receiver;
    }

    @Override
    public void onRecord(final ReceivedRecord record)
    {
        records++;
        classes.merge(record.recordClass(), 1L, Long::sum);
        txVerifier.verify(record);
        final String type = typeOf(record);
        spans.add(new Span(record.tcpSeq(), record.captured().length, "ktls#" + record.generation() + "."
            + Long.toUnsignedString(record.recordNumber()) + ":" + type));
        if (record.contentType() == TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA)
        {
            application(record.plaintext());
            return;
        }
        controlRecords.merge(type, 1L, Long::sum);
        if ("key_update".equals(type))
        {
            rekey();
        }
    }

    @Override
    public void onIncomplete(final long tcpSeq, final int recordLength, final String reason)
    {
        incompleteRecords++;
        spans.add(new Span(tcpSeq, Math.max(recordLength, 0), "incomplete"));
    }

    @Override
    public void onError(final long tcpSeq, final long recordNumber, final String reason)
    {
        if (error == null)
        {
            error = "record " + Long.toUnsignedString(recordNumber) + " at tcp seq " + tcpSeq + ": " + reason;
        }
    }

    /** @return the report of this direction. */
    DirectionReport report(final long handshakeRecords)
    {
        final String verdict;
        if (error != null)
        {
            verdict = "FAILED: " + error;
        }
        else if (txVerifier.mismatched() > 0)
        {
            verdict = "MISMATCH: " + txVerifier.mismatched() + " of " + txVerifier.compared()
                + " re-sealed records differ; first: " + txVerifier.firstMismatch();
        }
        else
        {
            verdict = "ok: " + records + " records opened, " + txVerifier.compared() + " re-sealed identically"
                + (incompleteRecords > 0 ? ", " + incompleteRecords + " incomplete in the capture" : "")
                + (txVerifier.explicitNonceNotSequential() > 0 ? "; note: " + txVerifier.explicitNonceNotSequential()
                + " explicit nonces are not sequential (the sender's scheme, not kTLS's)" : "");
        }
        return new DirectionReport(setup.source().toString(), setup.destination().toString(),
            suite.version().label(), suite.name(), plaintextBytes, Hex.encode(digest.digest()), records,
            classes.getOrDefault(RecordClass.DEVICE, 0L), classes.getOrDefault(RecordClass.MIXED, 0L),
            classes.getOrDefault(RecordClass.SOFTWARE, 0L), Map.copyOf(controlRecords), setup.earlyDataRecords(),
            handshakeRecords, incompleteRecords, keyUpdates, receiver.counters().getOrDefault("resyncs", 0L),
            txVerifier.compared(), txVerifier.mismatched(),
            txVerifier.explicitNonceNotSequential(), receiver instanceof DeviceRecordReceiver ? "device" : "software",
            receiver.counters(), receiver.note(), verdict);
    }

    /** @return records delivered or incomplete, in stream order. */
    List<Span> spans()
    {
        return spans;
    }

    private void application(final byte[] plaintext)
    {
        plaintextBytes += plaintext.length;
        digest.update(plaintext);
        if (plaintextCopy != null)
        {
            try
            {
                plaintextCopy.write(plaintext);
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void rekey()
    {
        if (suite.version() != TlsVersion.TLS_1_3 || trafficSecret == null)
        {
            return;
        }
        final int next = (int)keyUpdates + 1;
        final String label = fromClient ? KeyLog.clientTrafficSecret(next) : KeyLog.serverTrafficSecret(next);
        final Optional<byte[]> logged = keys.secret(label, clientRandom);
        trafficSecret = logged.orElseGet(() -> Tls13KeySchedule.nextTrafficSecret(suite.hash(), trafficSecret));
        final TrafficKeys trafficKeys = Tls13KeySchedule.trafficKeys(suite.cipher(), trafficSecret);
        final CryptoInfo nextInfo = trafficKeys.toCryptoInfo(TlsVersion.TLS_1_3, suite.cipher(), 0);
        trafficKeys.destroy();
        keyUpdates++;
        txVerifier.install(nextInfo);
        receiver.rekey(nextInfo);
    }

    private static String typeOf(final ReceivedRecord record)
    {
        switch (record.contentType())
        {
            case TlsRecordHeader.CONTENT_TYPE_APPLICATION_DATA:
                return "application_data";
            case TlsRecordHeader.CONTENT_TYPE_ALERT:
                return "alert";
            case TlsRecordHeader.CONTENT_TYPE_CHANGE_CIPHER_SPEC:
                return "change_cipher_spec";
            case TlsRecordHeader.CONTENT_TYPE_HANDSHAKE:
                if (record.plaintext().length > 0)
                {
                    final int type = record.plaintext()[0] & 0xFF;
                    if (type == HandshakeMessages.NEW_SESSION_TICKET)
                    {
                        return "new_session_ticket";
                    }
                    if (type == HandshakeMessages.KEY_UPDATE)
                    {
                        return "key_update";
                    }
                }
                return "handshake";
            default:
                return "type_" + record.contentType();
        }
    }
}
