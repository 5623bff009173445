package io.tlsnic.harness.handshake;

import java.util.Arrays;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * Copies the secrets of one connection out of Bouncy Castle's {@link SecurityParameters} at the two moments they are
 * there: the TLS 1.3 handshake traffic secrets while the handshake keys are current (the client's certificate check,
 * the server's credential choice), and at handshake completion the TLS 1.3 application traffic secrets or the
 * TLS 1.2 master secret, with both randoms, the suite and the version.
 * <p>
 * {@code TlsSecret.extract()} destroys the secret it is called on, which Bouncy Castle still needs (TLS 1.3
 * KeyUpdate, TLS 1.2 session parameters), so each secret is first copied with {@code TlsCrypto.adoptSecret} and the
 * copy is extracted. No Bouncy Castle internals are reached.
 */
final class SecretCapture
{
    byte[] clientHandshakeTrafficSecret;
    byte[] serverHandshakeTrafficSecret;
    byte[] clientTrafficSecret;
    byte[] serverTrafficSecret;
    byte[] exporterSecret;
    byte[] masterSecret;
    byte[] clientRandom;
    byte[] serverRandom;
    int cipherSuite = -1;
    ProtocolVersion version;
    boolean complete;
    String alertRaised;
    String alertReceived;

    void onHandshakeKeys(final TlsContext context)
    {
        final SecurityParameters parameters = context.getSecurityParametersHandshake();
        if (parameters != null && ProtocolVersion.TLSv13.equals(parameters.getNegotiatedVersion()))
        {
            clientHandshakeTrafficSecret = copy(context, parameters.getTrafficSecretClient());
            serverHandshakeTrafficSecret = copy(context, parameters.getTrafficSecretServer());
        }
    }

    void onComplete(final TlsContext context)
    {
        final SecurityParameters parameters = context.getSecurityParametersConnection() != null
            ? context.getSecurityParametersConnection() : context.getSecurityParametersHandshake();
        version = parameters.getNegotiatedVersion();
        cipherSuite = parameters.getCipherSuite();
        clientRandom = parameters.getClientRandom().clone();
        serverRandom = parameters.getServerRandom().clone();
        if (ProtocolVersion.TLSv13.equals(version))
        {
            clientTrafficSecret = copy(context, parameters.getTrafficSecretClient());
            serverTrafficSecret = copy(context, parameters.getTrafficSecretServer());
            exporterSecret = copy(context, parameters.getExporterMasterSecret());
        }
        else
        {
            masterSecret = copy(context, parameters.getMasterSecret());
        }
        complete = true;
    }

    void onAlertRaised(final short description, final String message, final Throwable cause)
    {
        // The cause carries the reason given where the alert was raised (e.g. the certificate check).
        final String text = AlertDescription.getText(description);
        final String detail = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
        alertRaised = detail == null ? text : detail.startsWith(text) ? detail : text + " (" + detail + ")";
    }

    void onAlertReceived(final short description)
    {
        alertReceived = AlertDescription.getText(description);
    }

    /** Wipes every copy. */
    void wipe()
    {
        for (final byte[] secret : new byte[][] {clientHandshakeTrafficSecret, serverHandshakeTrafficSecret,
            clientTrafficSecret, serverTrafficSecret, exporterSecret, masterSecret})
        {
            if (secret != null)
            {
                Arrays.fill(secret, (byte)0);
            }
        }
    }

    private static byte[] copy(final TlsContext context, final TlsSecret secret)
    {
        if (secret == null || !secret.isAlive())
        {
            return null;
        }
        return context.getCrypto().adoptSecret(secret).extract();
    }
}
