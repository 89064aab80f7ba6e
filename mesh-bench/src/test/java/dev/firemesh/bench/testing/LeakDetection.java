package dev.firemesh.bench.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Netty's leak detector at PARANOID (every buffer tracked), reporting into a list that fails the
 * test class whose buffers leaked. Installed when the JUnit session opens, before any Netty buffer
 * class is loaded, so that Netty's static detectors are ours; registered for every class through
 * extension auto-detection.
 */
public final class LeakDetection implements LauncherSessionListener, AfterAllCallback {

  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    install();
  }

  public static void install() {
    if (INSTALLED.compareAndSet(false, true)) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
      ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = collect();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size() + " leaked buffer(s) in " + context.getDisplayName() + ":\n" + leaks);
    }
  }

  /** Lets the garbage collector find unreleased buffers, makes Netty report them, drains them. */
  public static List<String> collect() {
    for (int round = 0; round < 5; round++) {
      System.gc();
      try {
        Thread.sleep(20); // reference processing runs on its own thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      // Netty reports leaks found by the collector when the next buffer is tracked.
      ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(1);
      direct.release();
      ByteBuf heap = Unpooled.buffer(1);
      heap.release();
    }
    List<String> drained = new ArrayList<>();
    String leak;
    while ((leak = LEAKS.poll()) != null) {
      drained.add(leak);
    }
    return drained;
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<?> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add(resourceType + " leaked:" + records); // reported by afterAll, not logged
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add(resourceType + " leaked (untraced)");
    }
  }
}
