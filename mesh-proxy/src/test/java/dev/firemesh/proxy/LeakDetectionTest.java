package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.proxy.testing.LeakDetection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check every test class relies on does catch a leak. */
class LeakDetectionTest {

  @Test
  void anUnreleasedBufferIsReported() {
    leakOneBuffer();

    List<String> leaks = LeakDetection.collect(); // drained, so this class itself passes

    assertThat(leaks).isNotEmpty();
    assertThat(leaks.getFirst()).contains("ByteBuf");
  }

  private static void leakOneBuffer() {
    ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    buffer.writeLong(42);
  }
}
