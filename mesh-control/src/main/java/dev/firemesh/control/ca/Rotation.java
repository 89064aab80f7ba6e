package dev.firemesh.control.ca;

import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.Fingerprint;
import dev.firemesh.identity.Pem;
import dev.firemesh.store.ca.CaCertificate;
import dev.firemesh.store.ca.CaCertificates;
import dev.firemesh.store.ca.CaRotation;
import dev.firemesh.store.ca.CaSnapshot;
import dev.firemesh.store.ca.IssuedCertificates;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staged rotation of the CA, in the one order that never breaks a handshake:
 *
 * <ol>
 *   <li><b>prepare</b>: a new intermediate (signed by the current root) or a new root and
 *       intermediate, stored as {@code trusted}. A new root joins the trust bundle at once, and
 *       reaches workloads through their bundle polls and renewals.
 *   <li><b>activate</b>: the new intermediate signs; the old one stays trusted (live SVIDs chain
 *       through it). With a new root, only once it has been in the bundle for the propagation time,
 *       so that every workload verifies the new chains before any peer presents one.
 *   <li><b>finish</b>: the old intermediate (and root) are retired, out of the bundle; only once no
 *       SVID it signed may still be presented (the ledger), unless forced.
 * </ol>
 *
 * Each step is idempotent where repeating it is harmless (prepare, activate) and refused with a
 * {@link RotationRefused} saying why when out of order. Steps are decided on a snapshot and written
 * only if the store has not moved since (another replica's step loses, never half-applies).
 */
public final class Rotation {
  private static final Logger log = LoggerFactory.getLogger(Rotation.class);

  /**
   * What {@code prepare} makes.
   *
   * @param root a new root as well as a new intermediate
   * @param imported the operator's certificates instead of generated ones: an intermediate (and its
   *     key) signed by the current root, or with {@code root} a new root and its intermediate
   */
  public record Prepare(boolean root, Optional<Imported> imported, String actor) {
    public Prepare {
      Objects.requireNonNull(imported, "imported");
      Objects.requireNonNull(actor, "actor");
    }
  }

  /**
   * The operator's PEM texts.
   *
   * @param rootCertificate the new root, for a root rotation (its key stays with the operator)
   */
  public record Imported(
      Optional<String> rootCertificate, String intermediateCertificate, String intermediateKey) {}

  /** A step's outcome: whether it changed anything, and what the operator should read. */
  public record Outcome(boolean changed, String message) {}

  private final CertificateAuthority ca;
  private final CaCertificates store;
  private final IssuedCertificates ledger;
  private final KeyEncryptionKey kek;
  private final Duration bundlePropagation;
  private final Clock clock;

  public Rotation(
      CertificateAuthority ca,
      CaCertificates store,
      IssuedCertificates ledger,
      KeyEncryptionKey kek,
      Duration bundlePropagation,
      Clock clock) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.store = Objects.requireNonNull(store, "store");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.kek = Objects.requireNonNull(kek, "kek");
    this.bundlePropagation = Objects.requireNonNull(bundlePropagation, "bundlePropagation");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Duration bundlePropagation() {
    return bundlePropagation;
  }

  /** When a prepared rotation may be activated: at once unless it brings a new root. */
  public Instant activatableAt(CaRotation rotation) {
    return rotation.rootRotated()
        ? rotation.preparedAt().plus(bundlePropagation)
        : rotation.preparedAt();
  }

  /** SVIDs the old intermediate of {@code rotation} signed that may still be presented. */
  public IssuedCertificates.Live oldSvids(CaRotation rotation) {
    return ledger.liveIssuedBy(rotation.oldIntermediate());
  }

  public Outcome prepare(Prepare request) {
    CaSnapshot snapshot = store.snapshot();
    if (snapshot.rotation().isPresent()) {
      CaRotation under = snapshot.rotation().get();
      if (under.stage() == CaRotation.Stage.PREPARED
          && under.rootRotated() == request.root()
          && request.imported().isEmpty()) {
        return new Outcome(
            false,
            "already prepared: new intermediate "
                + under.newIntermediate()
                + (under.rootRotated() ? ", new root " + under.newRoot().orElseThrow() : ""));
      }
      throw new RotationRefused(
          "rotation-in-progress",
          "a rotation is already "
              + under.stage().text()
              + " (new intermediate "
              + under.newIntermediate()
              + "); "
              + (under.stage() == CaRotation.Stage.PREPARED
                  ? "activate it (firemesh ca rotate activate) and finish it first"
                  : "finish it first (firemesh ca rotate finish)"));
    }
    CaCertificate oldIntermediate = active(snapshot, CaCertificate.Role.INTERMEDIATE);
    CaCertificate oldRoot =
        snapshot.certificates().stream()
            .filter(c -> c.fingerprint().equals(oldIntermediate.issuerFingerprint().orElse("")))
            .findFirst()
            .orElseGet(() -> active(snapshot, CaCertificate.Role.ROOT));
    Instant now = clock.instant();
    String trustDomain = ca.trustDomain();
    List<CaCertificate> created = new ArrayList<>();
    X509Certificate newIntermediate;
    Optional<X509Certificate> newRoot = Optional.empty();
    if (request.imported().isPresent()) {
      Imported files = request.imported().get();
      X509Certificate root =
          request.root()
              ? pem(
                  files
                      .rootCertificate()
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  "a root rotation with your own CA needs the new root's"
                                      + " certificate")),
                  "the new root")
              : Pem.decodeCertificate(oldRoot.certificatePem());
      if (!request.root() && files.rootCertificate().isPresent()) {
        throw new IllegalArgumentException(
            "a root certificate was given without --root: to keep the root, give only the"
                + " intermediate and its key");
      }
      PrivateKey key;
      try {
        key = Pem.decodePrivateKey(files.intermediateKey());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the intermediate's key: " + e.getMessage(), e);
      }
      CertificateAuthority.ImportedCa checked =
          CertificateAuthority.ImportedCa.checked(
              root,
              pem(files.intermediateCertificate(), "the new intermediate"),
              key,
              request.root() ? "the new root" : "the current root " + oldRoot.fingerprint(),
              "the new intermediate",
              "the intermediate's key");
      newIntermediate = checked.intermediate();
      if (request.root()) {
        newRoot = Optional.of(root);
        created.add(
            CertificateAuthority.row(
                root, Optional.empty(), Optional.empty(), kek, CaCertificate.State.TRUSTED));
      }
      created.add(
          CertificateAuthority.row(
              newIntermediate,
              Optional.of(Fingerprint.sha256(root)),
              Optional.of(key),
              kek,
              CaCertificate.State.TRUSTED));
    } else {
      CertificateIssuer signer;
      if (request.root()) {
        signer = CertificateAuthority.newRoot(trustDomain, generation(snapshot, true), now);
        newRoot = Optional.of(signer.certificate());
        created.add(
            CertificateAuthority.row(
                signer.certificate(),
                Optional.empty(),
                Optional.of(signer.privateKey()),
                kek,
                CaCertificate.State.TRUSTED));
      } else {
        if (!(oldRoot.key() instanceof dev.firemesh.store.ca.StoredKey.Sealed)) {
          throw new RotationRefused(
              "root-key-absent",
              "the root "
                  + oldRoot.fingerprint()
                  + " was imported and its key is not stored, so the control plane cannot sign a"
                  + " new intermediate with it: give one you signed (--intermediate-cert,"
                  + " --intermediate-key), or rotate the root as well (--root)");
        }
        signer = CertificateAuthority.unseal(oldRoot, kek);
      }
      CertificateIssuer intermediate =
          CertificateAuthority.newIntermediate(
              signer, trustDomain, generation(snapshot, false), now);
      newIntermediate = intermediate.certificate();
      created.add(
          CertificateAuthority.row(
              newIntermediate,
              Optional.of(Fingerprint.sha256(signer.certificate())),
              Optional.of(intermediate.privateKey()),
              kek,
              CaCertificate.State.TRUSTED));
    }
    CaRotation rotation =
        new CaRotation(
            CaRotation.Stage.PREPARED,
            oldIntermediate.fingerprint(),
            Fingerprint.sha256(newIntermediate),
            newRoot.map(r -> oldRoot.fingerprint()),
            newRoot.map(Fingerprint::sha256),
            now,
            Optional.empty(),
            request.actor());
    store.prepare(created, rotation, snapshot.version());
    ca.reload();
    log.info(
        "CA rotation prepared by {}: new intermediate {}{} (trusted, not signing yet)",
        request.actor(),
        rotation.newIntermediate(),
        rotation.newRoot().map(r -> ", new root " + r + " in the trust bundle").orElse(""));
    return new Outcome(
        true,
        "prepared: new intermediate "
            + rotation.newIntermediate()
            + rotation
                .newRoot()
                .map(
                    r ->
                        ", new root "
                            + r
                            + " in the trust bundle from now; activate from "
                            + now.plus(bundlePropagation)
                            + " (the bundle propagation time, "
                            + bundlePropagation
                            + ")")
                .orElse("; activate when you like (the root is unchanged)"));
  }

  public Outcome activate(String actor) {
    CaSnapshot snapshot = store.snapshot();
    CaRotation rotation = underWay(snapshot, "activate");
    if (rotation.stage() == CaRotation.Stage.ACTIVATED) {
      return new Outcome(
          false, "already activated: intermediate " + rotation.newIntermediate() + " signs");
    }
    Instant now = clock.instant();
    Instant ready = activatableAt(rotation);
    if (now.isBefore(ready)) {
      throw new RotationRefused(
          "bundle-propagating",
          "the new root "
              + rotation.newRoot().orElseThrow()
              + " joined the trust bundle at "
              + rotation.preparedAt()
              + "; workloads pick it up when they poll their bundle (every 15 s) or renew, and"
              + " one that has not could not verify certificates from the new intermediate:"
              + " activate from "
              + ready
              + " (in "
              + Duration.between(now, ready).toSeconds()
              + " s; --ca-bundle-propagation "
              + bundlePropagation
              + ")");
    }
    store.activate(rotation, snapshot.version());
    ca.reload();
    log.info(
        "CA rotation activated by {}: intermediate {} signs, {} is trusted until finish",
        actor,
        rotation.newIntermediate(),
        rotation.oldIntermediate());
    return new Outcome(
        true,
        "activated: intermediate "
            + rotation.newIntermediate()
            + " signs; workloads renew onto it within about a minute, then finish");
  }

  public Outcome finish(boolean force, String actor) {
    CaSnapshot snapshot = store.snapshot();
    CaRotation rotation = underWay(snapshot, "finish");
    if (rotation.stage() != CaRotation.Stage.ACTIVATED) {
      throw new RotationRefused(
          "not-activated",
          "the rotation is only prepared: the old intermediate "
              + rotation.oldIntermediate()
              + " still signs, and retiring it would break every SVID; activate first (firemesh"
              + " ca rotate activate)");
    }
    IssuedCertificates.Live live = oldSvids(rotation);
    if (live.count() > 0 && !force) {
      throw new RotationRefused(
          "old-svids-live",
          live.count()
              + " SVID(s) signed by the old intermediate "
              + rotation.oldIntermediate()
              + " may still be presented ("
              + String.join(", ", live.identities())
              + (live.count() > live.identities().size() ? ", ..." : "")
              + "; the last expires at "
              + live.lastNotAfter().map(Instant::toString).orElse("?")
              + "); their workloads renew onto the new intermediate within about a minute of"
              + " activate. Retiring it now would make peers that drop the old root refuse them:"
              + " wait, or --force");
    }
    store.finish(rotation, snapshot.version());
    ca.reload();
    log.info(
        "CA rotation finished by {}{}: intermediate {}{} retired",
        actor,
        live.count() > 0 ? " (forced, " + live.count() + " old SVIDs live)" : "",
        rotation.oldIntermediate(),
        rotation.oldRoot().map(r -> " and root " + r).orElse(""));
    return new Outcome(
        true,
        "finished: "
            + rotation.oldIntermediate()
            + rotation.oldRoot().map(r -> " and root " + r).orElse("")
            + " retired"
            + (rotation.rootRotated() ? ", the old root leaves the trust bundle" : ""));
  }

  private static CaRotation underWay(CaSnapshot snapshot, String step) {
    return snapshot
        .rotation()
        .orElseThrow(
            () ->
                new RotationRefused(
                    "no-rotation",
                    "no rotation is under way, so there is nothing to "
                        + step
                        + ": start one with firemesh ca rotate prepare [--root]"));
  }

  private static CaCertificate active(CaSnapshot snapshot, CaCertificate.Role role) {
    return snapshot.certificates().stream()
        .filter(c -> c.role() == role && c.state() == CaCertificate.State.ACTIVE)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the store has no active " + role));
  }

  /** " G2", " G3", ...: the next generation of a role, for the new certificate's name. */
  private static String generation(CaSnapshot snapshot, boolean root) {
    CaCertificate.Role role = root ? CaCertificate.Role.ROOT : CaCertificate.Role.INTERMEDIATE;
    long existing = snapshot.certificates().stream().filter(c -> c.role() == role).count();
    return " G" + (existing + 1);
  }

  private static X509Certificate pem(String text, String what) {
    try {
      return Pem.decodeCertificate(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }
}
