package dev.firemesh.proxy.tls;

import java.util.List;

/**
 * The TLS versions and cipher suites a sidecar speaks, on both sides of every mesh hop. TLS 1.3 by
 * default; TLS 1.2 only when asked for (peers that cannot do 1.3 yet), and then only ECDHE key
 * exchange with AEAD ciphers: forward secrecy, no CBC, no RSA key transport.
 */
public enum TlsProtocols {
  /** TLS 1.3 only. */
  TLS_1_3(List.of("TLSv1.3")),
  /** TLS 1.3, or 1.2 with ECDHE and AES-GCM or ChaCha20-Poly1305. */
  TLS_1_2_AND_1_3(List.of("TLSv1.3", "TLSv1.2"));

  private static final List<String> TLS_1_3_SUITES =
      List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

  private static final List<String> TLS_1_2_SUITES =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private final List<String> protocols;

  TlsProtocols(List<String> protocols) {
    this.protocols = protocols;
  }

  /** The protocol names as JSSE and Netty spell them. */
  public List<String> protocols() {
    return protocols;
  }

  /** The cipher suites, by their IANA (JSSE) names; Netty maps them for OpenSSL. */
  public List<String> cipherSuites() {
    if (this == TLS_1_3) {
      return TLS_1_3_SUITES;
    }
    return java.util.stream.Stream.concat(TLS_1_3_SUITES.stream(), TLS_1_2_SUITES.stream())
        .toList();
  }
}
