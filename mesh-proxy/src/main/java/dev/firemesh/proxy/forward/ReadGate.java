package dev.firemesh.proxy.forward;

import io.netty.channel.Channel;

/**
 * Reads from the caller's connection, paused while any reason holds: the upstream connection is not
 * writable, it is still being connected, or a pipelined request waits its turn. Each reason is one
 * bit so that lifting one does not resume reads another still needs paused.
 */
final class ReadGate {
  static final int UPSTREAM_UNWRITABLE = 1;
  static final int CONNECTING = 1 << 1;
  static final int PIPELINED = 1 << 2;

  private final Channel channel;
  private int reasons;

  ReadGate(Channel channel) {
    this.channel = channel;
  }

  /** Returns whether reads were running until now. */
  boolean pause(int reason) {
    boolean wasOpen = reasons == 0;
    reasons |= reason;
    if (wasOpen) {
      channel.config().setAutoRead(false);
    }
    return wasOpen;
  }

  void resume(int reason) {
    if (reasons == 0) {
      return;
    }
    reasons &= ~reason;
    if (reasons == 0) {
      channel.config().setAutoRead(true);
      // An HTTP/2 stream returns the window it held back as it resumes reading; that frame is
      // written but, when this runs inside the stream's own read cycle, not flushed. Without the
      // flush the caller would wait for window forever.
      channel.flush();
    }
  }
}
