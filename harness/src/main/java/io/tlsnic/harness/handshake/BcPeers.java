package io.tlsnic.harness.handshake;

import java.io.IOException;
import java.security.MessageDigest;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/** The two Bouncy Castle peers: one version, the offered suites only, and secret capture. */
final class BcPeers
{
    private BcPeers()
    {
    }

    /** A client that offers one version and the given suites and trusts one certificate by its SHA-256. */
    static final class Client extends DefaultTlsClient
    {
        private final HandshakeOptions options;
        private final byte[] trustedFingerprint;
        final SecretCapture capture = new SecretCapture();

        Client(final BcTlsCrypto crypto, final HandshakeOptions options, final byte[] trustedFingerprint)
        {
            super(crypto);
            this.options = options;
            this.trustedFingerprint = trustedFingerprint.clone();
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions()
        {
            return BcSuites.protocolVersions(options.version());
        }

        @Override
        protected int[] getSupportedCipherSuites()
        {
            return BcSuites.suites(options);
        }

        @Override
        public TlsAuthentication getAuthentication()
        {
            return new TlsAuthentication()
            {
                @Override
                public void notifyServerCertificate(final TlsServerCertificate serverCertificate) throws IOException
                {
                    final Certificate chain = serverCertificate.getCertificate();
                    if (chain == null || chain.isEmpty())
                    {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate, "the server sent no certificate");
                    }
                    final byte[] fingerprint = SelfSignedCertificate.sha256(chain.getCertificateAt(0).getEncoded());
                    if (!MessageDigest.isEqual(fingerprint, trustedFingerprint))
                    {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate,
                            "server certificate SHA-256 " + org.bouncycastle.util.encoders.Hex.toHexString(fingerprint)
                                + " is not the trusted one");
                    }
                    // TLS 1.3: EncryptedExtensions and Certificate came under the handshake keys, which are current.
                    capture.onHandshakeKeys(context);
                }

                @Override
                public org.bouncycastle.tls.TlsCredentials getClientCredentials(final CertificateRequest request)
                {
                    return null;
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException
        {
            super.notifyHandshakeComplete();
            capture.onComplete(context);
        }

        @Override
        public void notifyAlertRaised(final short level, final short description, final String message,
            final Throwable cause)
        {
            capture.onAlertRaised(description, message, cause);
        }

        @Override
        public void notifyAlertReceived(final short level, final short description)
        {
            capture.onAlertReceived(description);
        }
    }

    /** A server that accepts one version and the given suites, with an ECDSA P-256 certificate. */
    static final class Server extends DefaultTlsServer
    {
        private final HandshakeOptions options;
        private final SelfSignedCertificate certificate;
        final SecretCapture capture = new SecretCapture();

        Server(final BcTlsCrypto crypto, final HandshakeOptions options, final SelfSignedCertificate certificate)
        {
            super(crypto);
            this.options = options;
            this.certificate = certificate;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions()
        {
            return BcSuites.protocolVersions(options.version());
        }

        @Override
        protected int[] getSupportedCipherSuites()
        {
            return BcSuites.suites(options);
        }

        @Override
        public TlsCredentials getCredentials() throws IOException
        {
            // TLS 1.3: asked after ServerHello, when the handshake traffic secrets exist.
            capture.onHandshakeKeys(context);
            final TlsCertificate tlsCertificate = getCrypto().createCertificate(certificate.der());
            final Certificate chain = TlsUtils.isTLSv13(context)
                ? new Certificate(TlsUtils.EMPTY_BYTES, new CertificateEntry[] {new CertificateEntry(tlsCertificate, null)})
                : new Certificate(new TlsCertificate[] {tlsCertificate});
            return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto)getCrypto(),
                certificate.privateKey(), chain,
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }

        @Override
        public void notifyHandshakeComplete() throws IOException
        {
            super.notifyHandshakeComplete();
            capture.onComplete(context);
        }

        @Override
        public void notifyAlertRaised(final short level, final short description, final String message,
            final Throwable cause)
        {
            capture.onAlertRaised(description, message, cause);
        }

        @Override
        public void notifyAlertReceived(final short level, final short description)
        {
            capture.onAlertReceived(description);
        }
    }
}
