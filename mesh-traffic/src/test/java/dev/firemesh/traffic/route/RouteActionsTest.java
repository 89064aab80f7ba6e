package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.route.Configs.cluster;
import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.endpoint;
import static dev.firemesh.traffic.route.Configs.service;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.balance.BinomialBounds;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.DirectResponse;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.PathRewrite;
import dev.firemesh.traffic.config.Redirect;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteAction.WeightedCluster;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.StickyKey;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NotBlank;
import org.junit.jupiter.api.Test;

/** Redirects, direct responses, sticky weighted draws and mirrors, as the router decides them. */
class RouteActionsTest {

  private static RouteAction forward(
      StickyKey sticky, List<RouteAction.Mirror> mirrors, WeightedCluster... clusters) {
    return new RouteAction(
        List.of(clusters),
        Duration.ZERO,
        RouteAction.Retry.NONE,
        RouteAction.Fault.NONE,
        mirrors,
        "",
        sticky,
        PathRewrite.NONE,
        "");
  }

  private static SnapshotRouter router(long seed, RouteEntry... routes) {
    return new SnapshotRouter(
        config(
            "1",
            List.of(service("orders", routes)),
            List.of(
                cluster("orders|v1", BalancerPolicy.ROUND_ROBIN, endpoint("10.0.0.1", 80)),
                cluster("orders|v2", BalancerPolicy.ROUND_ROBIN, endpoint("10.0.0.2", 80)),
                cluster("shadow", BalancerPolicy.ROUND_ROBIN, endpoint("10.0.0.9", 80)))),
        new SplittableRandom(seed));
  }

  private static SnapshotRouter canary(long seed, StickyKey sticky, int v1, int v2) {
    return router(
        seed,
        new RouteEntry(
            "canary",
            RequestMatch.ANY,
            forward(
                sticky,
                List.of(),
                new WeightedCluster("orders|v1", v1),
                new WeightedCluster("orders|v2", v2))));
  }

  private static String clusterOf(RouteResult result) {
    RouteResult.Routed routed = (RouteResult.Routed) result;
    routed.lease().close();
    return routed.cluster().name();
  }

  @Test
  void redirectsAndDirectResponsesAreAnsweredWithoutPickingAnything() {
    Redirect redirect = new Redirect("https", "", new PathRewrite.Prefix("/new/"), 308);
    DirectResponse down = new DirectResponse(503, "maintenance");
    SnapshotRouter router =
        router(
            1,
            new RouteEntry(
                "moved", new RequestMatch(new PathMatcher.Prefix("/old/"), List.of()), redirect),
            new RouteEntry("down", RequestMatch.ANY, down));

    assertThat(router.route("orders", Request.get("/old/a")))
        .isInstanceOfSatisfying(
            RouteResult.Redirected.class,
            r -> {
              assertThat(r.redirect()).isEqualTo(redirect);
              assertThat(r.route().name()).isEqualTo("moved");
            });
    assertThat(router.route("orders", Request.get("/x")))
        .isEqualTo(new RouteResult.Answered(new RouteEntry("down", RequestMatch.ANY, down), down));
    assertThat(router.cluster("orders|v1").orElseThrow().activeRequests("10.0.0.1:80")).hasValue(0);
  }

  @Property(tries = 200)
  void oneUserAlwaysLandsOnTheSameVariantWhateverTheRandomDraws(
      @ForAll @NotBlank String user,
      @ForAll @IntRange(max = 100) int v1,
      @ForAll @IntRange(min = 1, max = 100) int v2,
      @ForAll long seedA,
      @ForAll long seedB) {
    StickyKey sticky = StickyKey.header("x-user-id");
    Request request = Request.get("/").with("x-user-id", user);

    String first = clusterOf(canary(seedA, sticky, v1, v2).route("orders", request));
    String again = clusterOf(canary(seedB, sticky, v1, v2).route("orders", request));

    assertThat(again).isEqualTo(first);
    if (v1 == 0) {
      assertThat(first).isEqualTo("orders|v2");
    }
  }

  @Property(tries = 200)
  void raisingTheCanaryWeightOnlyMovesUsersToTheCanary(
      @ForAll @NotBlank String user,
      @ForAll @IntRange(min = 1, max = 99) int before,
      @ForAll @IntRange(min = 1, max = 99) int after) {
    StickyKey sticky = StickyKey.cookie("user");
    Request request = Request.get("/").with("cookie", "theme=dark; user=" + user);
    int low = Math.min(before, after);
    int high = Math.max(before, after);

    String atLow = clusterOf(canary(1, sticky, 100 - low, low).route("orders", request));
    String atHigh = clusterOf(canary(2, sticky, 100 - high, high).route("orders", request));

    if (atLow.equals("orders|v2")) {
      assertThat(atHigh).isEqualTo("orders|v2");
    }
  }

  @Test
  void stickyAssignmentsSplitUsersByTheWeightsAndMoveOnlyAProportionalShare() {
    StickyKey sticky = StickyKey.header("x-user-id");
    SnapshotRouter ninety = canary(1, sticky, 90, 10);
    SnapshotRouter eighty = canary(1, sticky, 80, 20);
    int users = 20_000;
    int canaryAtTen = 0;
    int moved = 0;
    for (int i = 0; i < users; i++) {
      Request request = Request.get("/").with("x-user-id", "user-" + i);
      String before = clusterOf(ninety.route("orders", request));
      String after = clusterOf(eighty.route("orders", request));
      canaryAtTen += before.equals("orders|v2") ? 1 : 0;
      if (!before.equals(after)) {
        assertThat(after).as("a user moved by raising the canary's weight").isEqualTo("orders|v2");
        moved++;
      }
    }
    BinomialBounds.assertWithinFiveSigma("users on the 10% canary", canaryAtTen, users, 0.10);
    BinomialBounds.assertWithinFiveSigma("users moved from 90/10 to 80/20", moved, users, 0.10);
  }

  @Test
  void aRequestWithoutTheStickyValueIsDrawnAtRandom() {
    SnapshotRouter router = canary(7, StickyKey.cookie("user"), 50, 50);
    int trials = 2_000;
    int v2 = 0;
    for (int i = 0; i < trials; i++) {
      v2 +=
          clusterOf(router.route("orders", Request.get("/").with("cookie", "other=1")))
                  .equals("orders|v2")
              ? 1
              : 0;
    }
    BinomialBounds.assertWithinFiveSigma("random draws to v2", v2, trials, 0.5);
  }

  @Test
  void mirrorsAreDrawnByTheirPercentageAndUnknownClustersLeftOut() {
    SnapshotRouter router =
        router(
            3,
            new RouteEntry(
                "shadowed",
                RequestMatch.ANY,
                forward(
                    StickyKey.NONE,
                    List.of(
                        new RouteAction.Mirror("shadow", 25),
                        new RouteAction.Mirror("missing", 100)),
                    new WeightedCluster("orders|v1", 1))));
    int trials = 20_000;
    int mirrored = 0;
    for (int i = 0; i < trials; i++) {
      RouteResult.Routed routed = (RouteResult.Routed) router.route("orders", Request.get("/"));
      routed.lease().close();
      for (RouteResult.MirrorTarget target : routed.mirrors()) {
        assertThat(target.cluster().name()).isEqualTo("shadow");
        assertThat(target.endpoint().address()).isEqualTo("10.0.0.9");
        mirrored++;
      }
    }
    BinomialBounds.assertWithinFiveSigma("requests mirrored at 25%", mirrored, trials, 0.25);
  }

  @Test
  void cookieValuesAreFoundAmongOtherCookiesAndJoinedHeaders() {
    StickyKey user = StickyKey.cookie("user");
    assertThat(user.valueIn(Request.get("/").with("cookie", "a=1; user=\"bob\"; b=2")))
        .hasValue("bob");
    assertThat(user.valueIn(Request.get("/").with("cookie", "a=1,user=ann"))).hasValue("ann");
    assertThat(user.valueIn(Request.get("/").with("cookie", "username=x; user="))).isEmpty();
    assertThat(user.valueIn(Request.get("/"))).isEmpty();
  }

  @Test
  void pathRewritesReplaceWhatTheMatchAcceptedOrWhatTheRegexFinds() {
    PathMatcher prefix = new PathMatcher.Prefix("/api/");
    assertThat(new PathRewrite.Prefix("/v2/").apply(prefix, "/api/orders/7"))
        .isEqualTo("/v2/orders/7");
    assertThat(new PathRewrite.Prefix("/").apply(prefix, "/api/orders")).isEqualTo("/orders");
    assertThat(new PathRewrite.Prefix("/new").apply(new PathMatcher.Exact("/old"), "/old"))
        .isEqualTo("/new");
    PathRewrite regex =
        new PathRewrite.Regex(
            java.util.regex.Pattern.compile("^/orders/([0-9]+)/items/([a-z]+)$"),
            "/items/\\2?order=\\1&cost=$5");
    assertThat(regex.apply(prefix, "/orders/42/items/pen"))
        .isEqualTo("/items/pen?order=42&cost=$5");
    assertThat(regex.apply(prefix, "/other")).isEqualTo("/other");
  }

  @Test
  void redirectLocationsKeepWhatTheRedirectDoesNotChange() {
    PathMatcher old = new PathMatcher.Prefix("/old/");
    assertThat(
            new Redirect("https", "", new PathRewrite.Prefix("/new/"), 301)
                .location("http", "orders:8080", "/old/a?x=1", old))
        .isEqualTo("https://orders:8080/new/a?x=1");
    assertThat(
            new Redirect("", "example.com", new PathRewrite.Full("/here?y=2"), 302)
                .location("http", "orders", "/old/a?x=1", old))
        .isEqualTo("http://example.com/here?y=2");
    assertThat(
            new Redirect("", "example.com", PathRewrite.NONE, 307)
                .location("http", "orders", "/old/a", old))
        .isEqualTo("http://example.com/old/a");
  }
}
