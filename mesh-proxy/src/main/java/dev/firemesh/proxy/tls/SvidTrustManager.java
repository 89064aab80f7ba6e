package dev.firemesh.proxy.tls;

import dev.firemesh.identity.SvidVerifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust in a mesh peer, for both sides of a handshake: its chain must be an SVID of the trust
 * bundle ({@link SvidVerifier}), checked at the moment of the handshake. Host names are never
 * checked: peers are dialled by address and the SPIFFE ID is who they are (the caller compares it
 * with the endpoint's expected identity once the handshake is done). A refusal is the verifier's
 * {@code SvidRejectedException}, so the handshake's failure keeps its reason.
 */
final class SvidTrustManager extends X509ExtendedTrustManager {
  private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

  private final SvidVerifier verifier;
  private final InstantSource clock;

  SvidTrustManager(SvidVerifier verifier, InstantSource clock) {
    this.verifier = verifier;
    this.clock = clock;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    verifier.verify(chain, clock.instant());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  /**
   * No certificate authorities are named in the server's request: a client then always presents its
   * SVID, and a refusal says why (untrusted, expired) instead of "no certificate".
   */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return NO_ISSUERS;
  }
}
