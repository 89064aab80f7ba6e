package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.xds.server.XdsServer;
import dev.firemesh.xds.translate.NodeIdentity;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A discovery stream over a connection, against this module's real ADS server: responses and the
 * stream's end reach the listener on the named protocol thread, and closing stops what the
 * connection owns and nothing else.
 */
class XdsConnectionTest {
  private static final NodeIdentity NODE = new NodeIdentity("conn-1", "web", "eu-west", "a");

  private XdsServer xds;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0));
    xds.update(TradingMesh.state());
  }

  @AfterEach
  void stop() {
    xds.close();
  }

  @Test
  void streamEventsRunOnTheProtocolThreadAndAServerStopEndsTheStream() throws Exception {
    XdsConnection connection =
        XdsConnection.to("127.0.0.1", xds.port())
            .protocolThread("firemesh-test-protocol")
            .ioThread("firemesh-test-io")
            .userAgent("firemesh-test")
            .open();
    try {
      DiscoveryStream stream =
          new DiscoveryStream(
              (from, response) ->
                  events.add(
                      Thread.currentThread().getName() + " response " + response.getTypeUrl()),
              (from, cause) ->
                  events.add(Thread.currentThread().getName() + " end " + cause.getCode()));
      connection
          .protocol()
          .execute(
              () -> {
                AggregatedDiscoveryServiceGrpc.newStub(connection.channel())
                    .streamAggregatedResources(stream);
                stream.send(
                    DiscoveryRequest.newBuilder()
                        .setNode(XdsNodes.node(NODE, "firemesh-test"))
                        .setTypeUrl(XdsType.CLUSTER.typeUrl())
                        .build());
              });

      assertThat(events.poll(15, TimeUnit.SECONDS))
          .isEqualTo("firemesh-test-protocol response " + XdsType.CLUSTER.typeUrl());
      assertThat(stream.markAnswered()).isTrue();
      assertThat(stream.markAnswered()).isFalse();
      assertThat(stream.answered()).isTrue();

      xds.close();
      assertThat(events.poll(15, TimeUnit.SECONDS)).startsWith("firemesh-test-protocol end ");
    } finally {
      connection.close(() -> {});
    }
    assertThat(connection.protocol().isShutdown()).isTrue();
    assertThat(connection.channel().isShutdown()).isTrue();
  }

  @Test
  void closeRunsTheLastTaskOnTheProtocolThreadAndLeavesASharedEventLoopRunning() throws Exception {
    EventLoopGroup shared = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      XdsConnection connection =
          XdsConnection.to("127.0.0.1", xds.port())
              .protocolThread("firemesh-test-protocol")
              .eventLoop(shared, NioSocketChannel.class)
              .open();
      connection.close(() -> events.add(Thread.currentThread().getName() + " last"));

      assertThat(events.poll(15, TimeUnit.SECONDS)).isEqualTo("firemesh-test-protocol last");
      assertThat(connection.protocol().isTerminated()).isTrue();
      assertThat(shared.isShuttingDown()).isFalse();
    } finally {
      shared.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
