package dev.firemesh.chassis.config;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.xds.tls.XdsTls;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.runtime.v3.Runtime;
import io.envoyproxy.envoy.service.runtime.v3.RuntimeDiscoveryServiceGrpc;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A control plane's RTDS side, as small as the contract allows, for the feed's tests: serves one
 * {@code firemesh.config} document (the contract's form: a Runtime whose layer has revision, digest
 * and document) to every stream on a real loopback port, pushes each new one to the open streams,
 * and records every request (ACKs and NACKs). Stops and starts again on the same port.
 */
final class RtdsTestServer implements AutoCloseable {
  private final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  private final List<StreamObserver<DiscoveryResponse>> streams = new CopyOnWriteArrayList<>();
  private final AtomicInteger nonces = new AtomicInteger();
  private volatile Runtime current;
  private volatile String currentVersion = "";
  private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
  private final SSLContext tls;
  private int port;
  private Server server;

  private RtdsTestServer(SSLContext tls) {
    this.tls = tls;
  }

  static RtdsTestServer start() throws IOException {
    RtdsTestServer rtds = new RtdsTestServer(null);
    rtds.listen(0);
    return rtds;
  }

  /** Over TLS with {@code context}, requiring a client certificate, as the control plane does. */
  static RtdsTestServer startTls(SSLContext context) throws IOException {
    RtdsTestServer rtds = new RtdsTestServer(context);
    rtds.listen(0);
    return rtds;
  }

  /** The subjects of the client certificates that opened streams (TLS only). */
  List<String> clientSubjects() {
    return clientSubjects;
  }

  int port() {
    return port;
  }

  /** Serves a document built from the contract's fields; returns its text. */
  String publish(long revision, String valuesJson, String sourcesJson) {
    String text =
        "{\"service\":\"orders\",\"environment\":\"prod\",\"region\":\"eu-west\","
            + "\"instance\":\"orders-1\",\"revision\":"
            + revision
            + ",\"values\":"
            + valuesJson
            + ",\"sources\":"
            + sourcesJson
            + "}";
    publishText(revision, text, ConfigDocument.digest(text));
    return text;
  }

  /** Serves {@code text} under {@code digest}, right or wrong, and pushes it to every stream. */
  synchronized void publishText(long revision, String text, String digest) {
    current =
        Runtime.newBuilder()
            .setName(ConfigFeed.RESOURCE_NAME)
            .setLayer(
                Struct.newBuilder()
                    .putFields("revision", Value.newBuilder().setNumberValue(revision).build())
                    .putFields("digest", Value.newBuilder().setStringValue(digest).build())
                    .putFields("document", Value.newBuilder().setStringValue(text).build()))
            .build();
    currentVersion = digest;
    for (StreamObserver<DiscoveryResponse> stream : streams) {
      send(stream);
    }
  }

  List<DiscoveryRequest> requests() {
    return requests;
  }

  /** The requests that answered a response (ACKs and NACKs), in order. */
  List<DiscoveryRequest> answers() {
    return requests.stream().filter(r -> !r.getResponseNonce().isEmpty()).toList();
  }

  List<DiscoveryRequest> nacks() {
    return requests.stream().filter(DiscoveryRequest::hasErrorDetail).toList();
  }

  int openStreams() {
    return streams.size();
  }

  /** Stops listening and ends every stream, as a control plane that went away. */
  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    streams.clear();
  }

  /** Listens again on the same port. */
  void restart() throws IOException {
    listen(port);
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void listen(int on) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", on));
    if (tls != null) {
      builder.sslContext(XdsTls.server(tls));
    }
    server =
        builder
            .addService(ServerInterceptors.intercept(new Service(), new ClientIdentity()))
            .build()
            .start();
    port = server.getPort();
  }

  private synchronized void send(StreamObserver<DiscoveryResponse> stream) {
    Runtime runtime = current;
    if (runtime == null) {
      return;
    }
    stream.onNext(
        DiscoveryResponse.newBuilder()
            .setTypeUrl(ConfigFeed.TYPE_URL)
            .setVersionInfo(currentVersion)
            .setNonce(Integer.toString(nonces.incrementAndGet()))
            .addResources(Any.pack(runtime))
            .build());
  }

  /** Records who the client proved to be, from the TLS session of each call. */
  private final class ClientIdentity implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      if (session != null) {
        try {
          clientSubjects.add(
              ((X509Certificate) session.getPeerCertificates()[0])
                  .getSubjectAlternativeNames()
                  .toString());
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
          clientSubjects.add("unverified: " + e.getMessage());
        }
      }
      return next.startCall(call, headers);
    }
  }

  private final class Service extends RuntimeDiscoveryServiceGrpc.RuntimeDiscoveryServiceImplBase {
    @Override
    public StreamObserver<DiscoveryRequest> streamRuntime(
        StreamObserver<DiscoveryResponse> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(DiscoveryRequest request) {
          requests.add(request);
          // The first request of a stream subscribes; answers (with a nonce) are only recorded.
          if (request.getResponseNonce().isEmpty()) {
            streams.add(responses);
            send(responses);
          }
        }

        @Override
        public void onError(Throwable error) {
          streams.remove(responses);
        }

        @Override
        public void onCompleted() {
          streams.remove(responses);
          responses.onCompleted();
        }
      };
    }
  }
}
