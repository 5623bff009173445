package io.tlsnic.harness.replay;

import io.tlsnic.wire.tls.TlsVersion;

/**
 * What following one connection's handshake gave: either both directions' {@link DirectionSetup}, or why the
 * connection cannot be replayed.
 *
 * @param status       how it ended.
 * @param reason       for anything but {@link Status#READY}: one line naming the packet and the value.
 * @param version      negotiated version, or null when unknown.
 * @param suite        negotiated suite, or null when unknown.
 * @param client       the client's sender, or null.
 * @param server       the server's sender, or null.
 * @param clientRandom ClientHello.random (it names the connection in the key log), or null.
 * @param clientSetup  client to server keys, or null.
 * @param serverSetup  server to client keys, or null.
 */
public record HandshakeOutcome(
    Status status, String reason, TlsVersion version, CipherSuite suite, Endpoint client, Endpoint server,
    byte[] clientRandom, DirectionSetup clientSetup, DirectionSetup serverSetup)
{
    /** How following the handshake ended. */
    public enum Status
    {
        /** Keys for both directions are known. */
        READY,
        /** The TCP payload is not TLS. */
        NOT_TLS,
        /** The capture holds no ClientHello / ServerHello for the connection. */
        NO_HANDSHAKE,
        /** The handshake is there but the key log / PSK has no key for it. */
        NO_KEY,
        /** TLS, but a version or cipher suite kTLS does not carry. */
        UNSUPPORTED,
        /** The handshake could not be followed: bytes missing, a record that does not authenticate. */
        FAILED
    }

    static HandshakeOutcome failed(final Status status, final String reason, final TlsVersion version,
        final CipherSuite suite)
    {
        return new HandshakeOutcome(status, reason, version, suite, null, null, null, null, null);
    }
}
