package dev.firemesh.bench.harness;

import dev.firemesh.bench.Protocol;
import java.net.InetSocketAddress;
import java.util.Optional;

/** What every scenario's set-up shares: the folder, the CPU layout, the upstream, the launcher. */
final class ScenarioContext {
  private final Workspace workspace;
  private final CpuPlacement placement;
  private final InetSocketAddress upstream;
  private final Optional<FireMeshLauncher> fireMesh;
  private final Protocol protocol;
  private PairCertificates certificates;

  ScenarioContext(
      Workspace workspace,
      CpuPlacement placement,
      InetSocketAddress upstream,
      Optional<FireMeshLauncher> fireMesh,
      Protocol protocol) {
    this.workspace = workspace;
    this.placement = placement;
    this.upstream = upstream;
    this.fireMesh = fireMesh;
    this.protocol = protocol;
  }

  Workspace workspace() {
    return workspace;
  }

  CpuPlacement placement() {
    return placement;
  }

  /** The echo upstream every scenario ends at. */
  InetSocketAddress upstream() {
    return upstream;
  }

  Optional<FireMeshLauncher> fireMesh() {
    return fireMesh;
  }

  /** What the generator speaks, and the proxies between each other where they can. */
  Protocol protocol() {
    return protocol;
  }

  /** The mTLS pair's certificates, made on first use and shared by every mTLS scenario. */
  synchronized PairCertificates certificates() {
    if (certificates == null) {
      certificates = PairCertificates.create(workspace);
    }
    return certificates;
  }
}
