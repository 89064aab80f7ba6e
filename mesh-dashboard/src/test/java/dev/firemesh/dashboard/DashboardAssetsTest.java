package dev.firemesh.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.dashboard.DashboardAssets.Asset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DashboardAssetsTest {
  private final DashboardAssets assets = DashboardAssets.fromClassPath();

  @Test
  void theEmptyPathIsTheStartPageAndNeedsASession() {
    Asset start = assets.resolve("").orElseThrow();

    assertThat(start.path()).isEqualTo("index.html");
    assertThat(start.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(new String(start.bytes(), StandardCharsets.UTF_8)).contains("<main");
    assertThat(start.beforeLogin()).isFalse();
  }

  @Test
  void theLoginPageAndItsFilesAreServedBeforeLogin() {
    assertThat(assets.resolve("login.html").orElseThrow().beforeLogin()).isTrue();
    assertThat(assets.resolve("login.js").orElseThrow().beforeLogin()).isTrue();
    assertThat(assets.resolve("style.css").orElseThrow().beforeLogin()).isTrue();
    assertThat(assets.resolve("app.js").orElseThrow().beforeLogin()).isFalse();
    assertThat(assets.resolve("js/map.js").orElseThrow().beforeLogin()).isFalse();
  }

  @Test
  void contentTypesFollowTheExtension() {
    assertThat(assets.resolve("app.js").orElseThrow().contentType())
        .isEqualTo("text/javascript; charset=utf-8");
    assertThat(assets.resolve("style.css").orElseThrow().contentType())
        .isEqualTo("text/css; charset=utf-8");
  }

  @Test
  void theLibrariesComeFromTheirWebJars() {
    Asset echarts = assets.resolve("lib/echarts.esm.min.js").orElseThrow();
    Asset uplot = assets.resolve("lib/uPlot.esm.js").orElseThrow();
    Asset uplotCss = assets.resolve("lib/uPlot.min.css").orElseThrow();

    assertThat(echarts.bytes().length).isGreaterThan(100_000);
    assertThat(echarts.contentType()).isEqualTo("text/javascript; charset=utf-8");
    assertThat(new String(uplot.bytes(), StandardCharsets.UTF_8)).contains("export");
    assertThat(uplotCss.contentType()).isEqualTo("text/css; charset=utf-8");
    assertThat(echarts.beforeLogin()).isFalse();
  }

  @Test
  void noPageLoadsAnythingFromAnotherOrigin() {
    for (String page : new String[] {"index.html", "login.html", "app.js", "login.js"}) {
      String text = new String(assets.resolve(page).orElseThrow().bytes(), StandardCharsets.UTF_8);
      assertThat(text).as(page).doesNotContain("http://", "https://", "//cdn");
    }
  }

  @Test
  void everyPageIsReadOnceAndKept() {
    assertThat(assets.resolve("app.js").orElseThrow())
        .isSameAs(assets.resolve("app.js").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../pom.xml",
        "..",
        "js/../app.js",
        "./app.js",
        "/app.js",
        "//app.js",
        "js//map.js",
        "js\\map.js",
        "%2e%2e/app.js",
        "a/b/c.js",
        "DashboardAssets.class",
        "dev/firemesh/dashboard/DashboardAssets.class",
        "META-INF/MANIFEST.MF",
        "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.js",
        "lib/echarts.js",
        "lib/../app.js",
        "lib/uPlot.cjs.js",
        "logback.xml",
        "app.js.map",
        "app.JS",
        "App.js",
        "app.js ",
        "app.js\u0000",
        "app.js?x=1",
        "missing.js",
        "index.htm",
        "js/",
      })
  void anythingElseResolvesToNothing(String path) {
    assertThat(assets.resolve(path)).as(path).isEmpty();
  }
}
