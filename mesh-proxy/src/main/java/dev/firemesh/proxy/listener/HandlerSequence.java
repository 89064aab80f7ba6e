package dev.firemesh.proxy.listener;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * One slot of a listener's request pipeline that holds several handlers: when added, it puts them
 * in its place, in order, under their own names. The listener's stack has one slot for its policy
 * ({@code caller} outbound); the inbound side fills it with authorization, then rate limits, each a
 * handler of its own.
 */
@Sharable
final class HandlerSequence extends ChannelHandlerAdapter {
  private final List<String> names;
  private final List<ChannelHandler> handlers;

  private HandlerSequence(List<String> names, List<ChannelHandler> handlers) {
    this.names = names;
    this.handlers = handlers;
  }

  /** The handlers {@code first} then {@code second}; both must be {@link Sharable}. */
  static HandlerSequence of(
      String firstName, ChannelHandler first, String secondName, ChannelHandler second) {
    return new HandlerSequence(List.of(firstName, secondName), List.of(first, second));
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    String after = ctx.name();
    for (int i = 0; i < handlers.size(); i++) {
      ctx.pipeline().addAfter(after, names.get(i), handlers.get(i));
      after = names.get(i);
    }
    ctx.pipeline().remove(this);
  }
}
