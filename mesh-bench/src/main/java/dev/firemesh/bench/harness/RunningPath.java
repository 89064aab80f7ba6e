package dev.firemesh.bench.harness;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A scenario set up and ready: where the generator connects, the {@code Host} it sends, and the
 * proxy processes whose CPU and memory are measured (none for the direct path).
 */
record RunningPath(
    Scenario scenario, InetSocketAddress entry, String host, List<ProcessHandle> proxies) {}
