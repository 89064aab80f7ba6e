package dev.firemesh.xds.server;

import static dev.firemesh.xds.translate.Meshes.instance;
import static dev.firemesh.xds.translate.Meshes.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.XdsType;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata.Key;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolverRegistry;
import io.grpc.xds.XdsNameResolverProvider;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service balanced with Maglev still works for proxyless grpc-java clients, which have no Maglev:
 * the cluster lists ring hash after it, on the same header, and grpc-java takes that instead of
 * refusing the cluster. Its own class because grpc-java shares one xDS client per target in a JVM
 * ({@code xds:///quotes} here).
 */
class ProxylessMaglevTest {
  private static final String HEADER = "x-instrument";

  @Test
  void grpcJavaTakesTheRingHashFallbackOfAMaglevClusterAndKeepsKeysOnOneInstance()
      throws Exception {
    List<IdentityServer> servers = new ArrayList<>();
    List<ServiceInstance> instances = new ArrayList<>();
    XdsServer xds = null;
    ManagedChannel channel = null;
    try {
      for (int i = 1; i <= 3; i++) {
        IdentityServer server = IdentityServer.start("quotes-" + i);
        servers.add(server);
        instances.add(instance("quotes", "quotes-" + i, server.port(), "v1", "a"));
      }
      TrafficPolicy maglev =
          new TrafficPolicy(
              Metadata.named("quotes"),
              new TrafficPolicy.Spec(
                  "quotes",
                  "",
                  new TrafficPolicy.LoadBalancer(
                      TrafficPolicy.LoadBalancer.Policy.MAGLEV, HEADER, 65_537, true),
                  TrafficPolicy.ConnectionPool.DEFAULT,
                  TrafficPolicy.CircuitBreaker.DEFAULT,
                  TrafficPolicy.OutlierDetection.DEFAULT,
                  TrafficPolicy.HealthCheck.DEFAULT));
      xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0));
      xds.update(new MeshState(List.<Resource>of(service("quotes"), maglev), instances));

      Map<String, Object> bootstrap =
          Map.of(
              "xds_servers",
              List.of(
                  Map.of(
                      "server_uri", "127.0.0.1:" + xds.port(),
                      "channel_creds", List.of(Map.of("type", "insecure")),
                      "server_features", List.of("xds_v3"))),
              "node",
              Map.of("id", "maglev-client", "locality", Map.of("region", "eu-west", "zone", "a")));
      NameResolverRegistry resolvers = new NameResolverRegistry();
      resolvers.register(XdsNameResolverProvider.createForTest("xds", bootstrap));
      channel =
          Grpc.newChannelBuilder("xds:///quotes", InsecureChannelCredentials.create(), resolvers)
              .build();

      Set<String> reached = new HashSet<>();
      for (int key = 0; key < 30; key++) {
        Channel keyed = ClientInterceptors.intercept(channel, header("ISIN" + key));
        String first = IdentityServer.who(keyed);
        for (int again = 0; again < 5; again++) {
          assertThat(IdentityServer.who(keyed)).as("key ISIN%d", key).isEqualTo(first);
        }
        reached.add(first);
      }
      // 30 keys over 3 instances all on one is a (1/3)^29 chance: the header is hashed.
      assertThat(reached).hasSizeGreaterThan(1);
      NodeStatus client = xds.node("maglev-client").orElseThrow();
      assertThat(client.type(XdsType.CLUSTER).lastNack()).isEmpty();
      assertThat(client.type(XdsType.CLUSTER).inSync()).isTrue();
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (xds != null) {
        xds.close();
      }
      for (IdentityServer server : servers) {
        server.close();
      }
    }
  }

  private static ClientInterceptor header(String value) {
    Key<String> key = Key.of(HEADER, io.grpc.Metadata.ASCII_STRING_MARSHALLER);
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, io.grpc.Metadata headers) {
            headers.put(key, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }
}
