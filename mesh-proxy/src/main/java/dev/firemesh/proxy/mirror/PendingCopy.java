package dev.firemesh.proxy.mirror;

import dev.firemesh.proxy.forward.Target;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * One copy of a request being gathered: its own head, and retained duplicates of the body pieces
 * (sharing the caller's buffers, not copying them), up to a byte bound.
 */
final class PendingCopy {
  private final Target target;
  private final List<HttpObject> pieces = new ArrayList<>(4);
  private long bodyBytes;

  PendingCopy(Target target, HttpRequest head) {
    this.target = target;
    pieces.add(head);
  }

  Target target() {
    return target;
  }

  /**
   * Keeps a duplicate of {@code content}; false (nothing kept) once the body passes {@code max}.
   */
  boolean add(HttpContent content, int max) {
    bodyBytes += content.content().readableBytes();
    if (bodyBytes > max) {
      return false;
    }
    pieces.add(content.retainedDuplicate());
    return true;
  }

  /** The pieces, whose ownership passes to the caller; this copy is empty afterwards. */
  List<HttpObject> take() {
    List<HttpObject> taken = new ArrayList<>(pieces);
    pieces.clear();
    return taken;
  }

  void release() {
    pieces.forEach(ReferenceCountUtil::release);
    pieces.clear();
  }
}
