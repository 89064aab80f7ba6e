package dev.firemesh.identity;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager that hands the TLS stack whatever key and chain its supplier holds at each
 * handshake, for one side only (a server's certificate, or a client's): renewals apply to the next
 * handshake without rebuilding the {@code SSLContext}. A handshake that chose its alias just before
 * a renewal still finds the key it chose (the previous pair is kept).
 */
public final class CurrentKeyManager extends X509ExtendedKeyManager {
  /** A private key and its certificate chain, leaf first. */
  public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
    public KeyAndChain {
      Objects.requireNonNull(key, "key");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("the certificate chain is empty");
      }
    }
  }

  private record Held(String alias, KeyAndChain pair) {}

  /** Which side of handshakes the key is for. */
  public enum Side {
    SERVER,
    CLIENT
  }

  private final Supplier<KeyAndChain> source;
  private final Side side;
  private final AtomicReference<Held> current = new AtomicReference<>();
  private final AtomicReference<Held> previous = new AtomicReference<>();

  /**
   * @param source read at each handshake; a different pair is a renewal
   */
  public CurrentKeyManager(Supplier<KeyAndChain> source, Side side) {
    this.source = Objects.requireNonNull(source, "source");
    this.side = Objects.requireNonNull(side, "side");
  }

  private Held now() {
    KeyAndChain held = source.get();
    Held last = current.get();
    if (last != null && last.pair().equals(held)) {
      return last;
    }
    Held next = new Held("key-" + held.chain().getFirst().getSerialNumber().toString(16), held);
    previous.set(current.getAndSet(next));
    return next;
  }

  private KeyAndChain find(String alias) {
    Held held = now();
    if (held.alias().equals(alias)) {
      return held.pair();
    }
    Held before = previous.get();
    return before != null && before.alias().equals(alias) ? before.pair() : null;
  }

  private String choose(Side asked, String... keyTypes) {
    if (asked != side) {
      return null;
    }
    Held held = now();
    String algorithm = held.pair().key().getAlgorithm();
    if (keyTypes == null) {
      return held.alias();
    }
    for (String keyType : keyTypes) {
      if (keyType == null || keyType.equals(algorithm) || keyType.startsWith(algorithm + "_")) {
        return held.alias();
      }
    }
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(Side.SERVER, keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(Side.SERVER, keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    String alias = choose(Side.SERVER, keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(Side.CLIENT, keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(Side.CLIENT, keyTypes);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = choose(Side.CLIENT, keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    KeyAndChain held = find(alias);
    return held == null ? null : held.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    KeyAndChain held = find(alias);
    return held == null ? null : held.key();
  }
}
