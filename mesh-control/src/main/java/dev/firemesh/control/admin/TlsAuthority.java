package dev.firemesh.control.admin;

import dev.firemesh.identity.CertificateIssuer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What the admin API's TLS needs of the mesh's certificate authority: the roots clients and the
 * server trust, and a signature on certificates that are not SVIDs (its own server certificate,
 * operators' client certificates). Read again at every renewal, so a rotated CA reaches the admin
 * port without a restart.
 */
public interface TlsAuthority {
  String trustDomain();

  /** The roots whose state is active or trusted. */
  List<X509Certificate> trustBundle();

  /** The intermediate that signs now: a server certificate from another one is re-issued. */
  X509Certificate signer();

  /** Signs what {@code leaf} makes with the active intermediate; the chain, leaf first. */
  List<X509Certificate> sign(BiFunction<CertificateIssuer, Instant, X509Certificate> leaf);
}
