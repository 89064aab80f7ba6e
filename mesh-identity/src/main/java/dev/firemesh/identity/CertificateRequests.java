package dev.firemesh.identity;

import dev.firemesh.api.identity.SpiffeId;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 certificate requests for SVIDs. A workload makes its key pair, puts its SPIFFE ID in the
 * request as the only URI SAN and signs it with the new key; the CA reads back only two things: the
 * public key and the identity. Everything else a request may ask for (subject, other extensions) is
 * ignored, because the CA decides the certificate's shape.
 */
public final class CertificateRequests {
  private static final ASN1ObjectIdentifier P256 = SECObjectIdentifiers.secp256r1;
  private static final ASN1ObjectIdentifier P384 = SECObjectIdentifiers.secp384r1;

  /** The subject is not used: the identity is the URI SAN alone. */
  private static final X500Name EMPTY_SUBJECT = new X500Name(new RDN[0]);

  private CertificateRequests() {}

  /** What the CA takes from a valid request. */
  public record CertificateRequest(PublicKey publicKey, SpiffeId identity) {}

  /** A DER PKCS#10 request for {@code identity}, signed with {@code keys}' private key. */
  public static byte[] create(KeyPair keys, SpiffeId identity) {
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())));
      return signed(
          new JcaPKCS10CertificationRequestBuilder(EMPTY_SUBJECT, keys.getPublic())
              .addAttribute(
                  PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate()),
          keys);
    } catch (IOException e) {
      throw new IllegalStateException("cannot build a certificate request", e);
    }
  }

  private static byte[] signed(PKCS10CertificationRequestBuilder request, KeyPair keys) {
    try {
      return request
          .build(
              new JcaContentSignerBuilder(SignatureAlgorithms.sha256ForKey(keys.getPrivate()))
                  .build(keys.getPrivate()))
          .getEncoded();
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build a certificate request", e);
    }
  }

  /**
   * Parses and checks a DER request: the signature verifies with the key inside, the key is strong
   * enough (RSA at least 2048 bits; EC on P-256 or P-384), and the only SAN is one URI that is
   * exactly a mesh SPIFFE ID.
   */
  public static CertificateRequest read(byte[] der) throws CertificateRequestRefused {
    JcaPKCS10CertificationRequest request = verified(der);
    try {
      return new CertificateRequest(request.getPublicKey(), identity(request));
    } catch (GeneralSecurityException e) {
      throw refused(
          CertificateRequestRefused.Reason.MALFORMED,
          "the request's public key cannot be read: " + e.getMessage());
    }
  }

  /**
   * A DER request for a certificate whose names the CA decides (an operator's client certificate):
   * no SAN, only the key and the signature that proves it is held.
   */
  public static byte[] createForKey(KeyPair keys) {
    return signed(new JcaPKCS10CertificationRequestBuilder(EMPTY_SUBJECT, keys.getPublic()), keys);
  }

  /**
   * The public key of a DER request, after the checks of {@link #read} but the identity's: for a
   * certificate whose names the CA decides, any SAN the request asks for is ignored.
   */
  public static PublicKey readKey(byte[] der) throws CertificateRequestRefused {
    try {
      return verified(der).getPublicKey();
    } catch (GeneralSecurityException e) {
      throw refused(
          CertificateRequestRefused.Reason.MALFORMED,
          "the request's public key cannot be read: " + e.getMessage());
    }
  }

  private static JcaPKCS10CertificationRequest verified(byte[] der)
      throws CertificateRequestRefused {
    JcaPKCS10CertificationRequest request;
    PublicKey publicKey;
    try {
      request = new JcaPKCS10CertificationRequest(new PKCS10CertificationRequest(der));
    } catch (IOException | RuntimeException e) {
      throw refused(
          CertificateRequestRefused.Reason.MALFORMED,
          "not a DER PKCS#10 certificate request: " + e.getMessage());
    }
    checkKeyStrength(request.getSubjectPublicKeyInfo().getAlgorithm());
    try {
      publicKey = request.getPublicKey();
    } catch (Exception e) {
      throw refused(
          CertificateRequestRefused.Reason.MALFORMED,
          "the request's public key cannot be read: " + e.getMessage());
    }
    if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
      throw refused(
          CertificateRequestRefused.Reason.WEAK_KEY,
          "RSA key of " + rsa.getModulus().bitLength() + " bits; at least 2048 required");
    }
    boolean signed;
    try {
      signed = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey));
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      signed = false;
    }
    if (!signed) {
      throw refused(
          CertificateRequestRefused.Reason.BAD_SIGNATURE,
          "the request's signature does not verify with the public key it carries");
    }
    return request;
  }

  private static void checkKeyStrength(AlgorithmIdentifier algorithm)
      throws CertificateRequestRefused {
    ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
    if (oid.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      ASN1Encodable parameters = algorithm.getParameters();
      if (!(parameters instanceof ASN1ObjectIdentifier curve)
          || !(curve.equals(P256) || curve.equals(P384))) {
        throw refused(
            CertificateRequestRefused.Reason.WEAK_KEY,
            "EC key on curve " + parameters + "; P-256 or P-384 required");
      }
    } else if (!oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      throw refused(
          CertificateRequestRefused.Reason.WEAK_KEY,
          "key algorithm " + oid + " is not accepted; EC P-256/P-384 or RSA 2048+ required");
    }
  }

  private static SpiffeId identity(PKCS10CertificationRequest request)
      throws CertificateRequestRefused {
    Attribute[] attributes =
        request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
    if (attributes.length != 1 || attributes[0].getAttrValues().size() != 1) {
      throw refused(
          CertificateRequestRefused.Reason.BAD_IDENTITY,
          "the request must carry one extensionRequest with a URI SAN; found " + attributes.length);
    }
    GeneralNames names;
    try {
      Extensions extensions = Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));
      names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
    } catch (RuntimeException e) {
      throw refused(
          CertificateRequestRefused.Reason.MALFORMED,
          "the request's extensions cannot be read: " + e.getMessage());
    }
    if (names == null || names.getNames().length == 0) {
      throw refused(
          CertificateRequestRefused.Reason.BAD_IDENTITY,
          "the request has no subjectAltName; one URI SAN with the SPIFFE ID is required");
    }
    if (names.getNames().length != 1) {
      throw refused(
          CertificateRequestRefused.Reason.BAD_IDENTITY,
          "the request has " + names.getNames().length + " SANs; exactly one URI SAN is required");
    }
    GeneralName name = names.getNames()[0];
    if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
      throw refused(
          CertificateRequestRefused.Reason.BAD_IDENTITY,
          "the request's SAN is of type " + name.getTagNo() + "; only a URI SAN is accepted");
    }
    String uri = name.getName().toString();
    Optional<SpiffeId> identity = SpiffeId.parse(uri);
    if (identity.isEmpty()) {
      throw refused(
          CertificateRequestRefused.Reason.BAD_IDENTITY,
          "the URI SAN '"
              + uri
              + "' is not a mesh SPIFFE ID (spiffe://<trust-domain>/env/<env>/svc/<service>)");
    }
    return identity.get();
  }

  private static CertificateRequestRefused refused(
      CertificateRequestRefused.Reason reason, String message) {
    return new CertificateRequestRefused(reason, message);
  }
}
