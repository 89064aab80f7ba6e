package dev.firemesh.proxy.stats;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the sidecar process costs at one moment: heap, resident memory (all of it, and the part no
 * other process shares), buffer memory, garbage collection, threads, uptime and event-loop lag.
 *
 * <p>Resident memory comes from Linux's {@code /proc/self}; where that is missing (another OS) it
 * reads as absent rather than zero. {@link #measure} does a little file I/O: call it off the event
 * loops.
 *
 * @param residentBytes {@code VmRSS}: every page of the process in RAM, shared ones included
 * @param residentPrivateBytes {@code Private_Clean + Private_Dirty} of {@code smaps_rollup}: what
 *     stopping this process would give back
 * @param directBufferBytes the JDK's count of direct {@code ByteBuffer}s (Netty's pools and gRPC's
 *     included), bounded by {@code -XX:MaxDirectMemorySize}
 * @param pooledDirectBytes direct memory in use from the sidecar's pooled Netty allocator
 * @param pooledHeapBytes heap memory in use from the same allocator
 * @param gcPauseMillis total time of every collector, since the start
 */
public record Footprint(
    long heapUsedBytes,
    long heapCommittedBytes,
    long heapMaxBytes,
    long nonHeapUsedBytes,
    OptionalLong residentBytes,
    OptionalLong residentPrivateBytes,
    long directBufferBytes,
    long pooledDirectBytes,
    long pooledHeapBytes,
    long gcCollections,
    long gcPauseMillis,
    int threads,
    long uptimeMillis,
    EventLoopLag.LagSummary eventLoopLag) {

  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path SMAPS_ROLLUP = Path.of("/proc/self/smaps_rollup");

  /** Reads every figure now; {@code allocator} is the sidecar's buffer allocator. */
  public static Footprint measure(ByteBufAllocator allocator, EventLoopLag lag) {
    var memory = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    long collections = 0;
    long pauseMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, gc.getCollectionCount());
      pauseMillis += Math.max(0, gc.getCollectionTime());
    }
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed();
      }
    }
    long pooledDirect = 0;
    long pooledHeap = 0;
    if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
      ByteBufAllocatorMetric metric = provider.metric();
      pooledDirect = metric.usedDirectMemory();
      pooledHeap = metric.usedHeapMemory();
    }
    return new Footprint(
        heap.getUsed(),
        heap.getCommitted(),
        heap.getMax(),
        memory.getNonHeapMemoryUsage().getUsed(),
        kilobytes(STATUS, "VmRSS:"),
        privateResident(),
        direct,
        pooledDirect,
        pooledHeap,
        collections,
        pauseMillis,
        ManagementFactory.getThreadMXBean().getThreadCount(),
        ManagementFactory.getRuntimeMXBean().getUptime(),
        lag.summary());
  }

  private static OptionalLong privateResident() {
    OptionalLong clean = kilobytes(SMAPS_ROLLUP, "Private_Clean:");
    OptionalLong dirty = kilobytes(SMAPS_ROLLUP, "Private_Dirty:");
    return clean.isPresent() && dirty.isPresent()
        ? OptionalLong.of(clean.getAsLong() + dirty.getAsLong())
        : OptionalLong.empty();
  }

  /** The {@code key 123 kB} line of a /proc file, in bytes. */
  static OptionalLong kilobytes(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          String[] fields = line.substring(key.length()).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(fields[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or a /proc this code does not understand: the figure is absent, not wrong.
    }
    return OptionalLong.empty();
  }

  /** The lines of {@code /stats}: dot-separated names with their unit, integer values. */
  public Map<String, Long> asStats() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("allocator.direct.used_bytes", pooledDirectBytes);
    out.put("allocator.heap.used_bytes", pooledHeapBytes);
    out.put("jvm.heap.used_bytes", heapUsedBytes);
    out.put("jvm.heap.committed_bytes", heapCommittedBytes);
    out.put("jvm.heap.max_bytes", heapMaxBytes);
    out.put("jvm.nonheap.used_bytes", nonHeapUsedBytes);
    out.put("jvm.buffer.direct.used_bytes", directBufferBytes);
    out.put("jvm.gc.collections", gcCollections);
    out.put("jvm.gc.pause_ms", gcPauseMillis);
    out.put("jvm.threads", (long) threads);
    residentBytes.ifPresent(v -> out.put("process.resident_bytes", v));
    residentPrivateBytes.ifPresent(v -> out.put("process.resident_private_bytes", v));
    out.put("process.uptime_ms", uptimeMillis);
    out.put("event_loop.lag.max_us", eventLoopLag.maxMicros());
    out.put("event_loop.lag.p99_us", eventLoopLag.p99Micros());
    out.put("event_loop.lag.window_ticks", (long) eventLoopLag.windowTicks());
    return out;
  }
}
