package io.tlsnic.harness.handshake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * An ECDSA P-256 key and a self-signed X.509 v3 certificate for it, made at run time. Built from bcprov's ASN.1
 * classes (bcpkix is not needed for one certificate). The validity dates are fixed so no wall clock is read; the
 * client trusts the certificate by its SHA-256 fingerprint, not by dates or names.
 */
public final class SelfSignedCertificate
{
    // 2026-01-01T00:00:00Z and 2046-01-01T00:00:00Z.
    private static final long NOT_BEFORE_MS = 1_767_225_600_000L;
    private static final long NOT_AFTER_MS = 2_398_377_600_000L;

    private final ECPrivateKeyParameters privateKey;
    private final byte[] der;

    private SelfSignedCertificate(final ECPrivateKeyParameters privateKey, final byte[] der)
    {
        this.privateKey = privateKey;
        this.der = der;
    }

    /**
     * @param commonName subject and issuer CN.
     * @param random key generation randomness (a seeded one gives the same certificate every run).
     * @return a new key pair and certificate.
     */
    public static SelfSignedCertificate ecdsaP256(final String commonName, final SecureRandom random)
    {
        final ECNamedDomainParameters domain =
            new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, ECNamedCurveTable.getByName("P-256"));
        final ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        final AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        try
        {
            final AlgorithmIdentifier signatureAlgorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            final X500Name name = new X500Name("CN=" + commonName);
            final V3TBSCertificateGenerator tbsGenerator = new V3TBSCertificateGenerator();
            tbsGenerator.setSerialNumber(new ASN1Integer(new BigInteger(63, random).add(BigInteger.ONE)));
            tbsGenerator.setSignature(signatureAlgorithm);
            tbsGenerator.setIssuer(name);
            tbsGenerator.setSubject(name);
            tbsGenerator.setStartDate(new Time(new Date(NOT_BEFORE_MS)));
            tbsGenerator.setEndDate(new Time(new Date(NOT_AFTER_MS)));
            tbsGenerator.setSubjectPublicKeyInfo(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()));
            final TBSCertificate tbs = tbsGenerator.generateTBSCertificate();
            final byte[] tbsDer = tbs.getEncoded(ASN1Encoding.DER);

            final SHA256Digest digest = new SHA256Digest();
            digest.update(tbsDer, 0, tbsDer.length);
            final byte[] hash = new byte[digest.getDigestSize()];
            digest.doFinal(hash, 0);
            // RFC 6979 deterministic k: the signature depends on the key and the data only.
            final ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, pair.getPrivate());
            final BigInteger[] rs = signer.generateSignature(hash);
            final ASN1EncodableVector signature = new ASN1EncodableVector();
            signature.add(new ASN1Integer(rs[0]));
            signature.add(new ASN1Integer(rs[1]));

            final ASN1EncodableVector certificate = new ASN1EncodableVector();
            certificate.add(tbs);
            certificate.add(signatureAlgorithm);
            certificate.add(new DERBitString(new DERSequence(signature).getEncoded(ASN1Encoding.DER)));
            return new SelfSignedCertificate(
                (ECPrivateKeyParameters)pair.getPrivate(), new DERSequence(certificate).getEncoded(ASN1Encoding.DER));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("DER encoding of a certificate failed", e);
        }
    }

    /** @return the certificate, DER. */
    public byte[] der()
    {
        return der.clone();
    }

    /** @return SHA-256 of the DER certificate, what a client pins. */
    public byte[] sha256Fingerprint()
    {
        return sha256(der);
    }

    ECPrivateKeyParameters privateKey()
    {
        return privateKey;
    }

    static byte[] sha256(final byte[] data)
    {
        final SHA256Digest digest = new SHA256Digest();
        digest.update(data, 0, data.length);
        final byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
