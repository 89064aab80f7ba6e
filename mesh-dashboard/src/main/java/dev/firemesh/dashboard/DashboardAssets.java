package dev.firemesh.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files as the control plane serves them under {@code /ui/}: a path after {@code
 * /ui/} resolves to bytes and a content type, or to nothing. Only two kinds of path resolve, so no
 * request can reach any other resource of the class path (a class, a key, another jar's file):
 *
 * <ul>
 *   <li>the dashboard's own files, whose paths match a strict pattern (lower-case names, at most
 *       one folder, an extension from a short list; no dot but the extension's, so no {@code ..}),
 *       looked up under {@code dev/firemesh/dashboard/};
 *   <li>the chart libraries under {@code lib/}, by an explicit list of names mapped to files of
 *       their WebJars, whose versions are read from the WebJars themselves.
 * </ul>
 *
 * Files are read once and kept: they are few and never change while the process runs.
 */
public final class DashboardAssets {
  /**
   * Headers every dashboard answer carries. The policy allows scripts, styles, images and
   * connections to this origin only: no inline script, no script from anywhere else, nothing
   * fetched from the internet (the dashboard works air-gapped), no framing (clickjacking).
   */
  public static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
              + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
              + " frame-ancestors 'none'",
          "X-Content-Type-Options",
          "nosniff",
          "X-Frame-Options",
          "DENY",
          "Referrer-Policy",
          "no-referrer",
          // Revalidate on every load: a control plane upgraded in place serves new files at once.
          "Cache-Control",
          "no-cache");

  /** The page a browser without a session is sent to. */
  public static final String LOGIN_PAGE = "login.html";

  /** What the login page needs before anyone has logged in; everything else needs a session. */
  private static final Set<String> BEFORE_LOGIN =
      Set.of(LOGIN_PAGE, "login.js", "style.css", "favicon.svg");

  private static final String OWN_ROOT = "dev/firemesh/dashboard/";
  private static final Pattern OWN_PATH =
      Pattern.compile("(?:[a-z][a-z0-9-]*/)?[a-z][a-z0-9-]*\\.(?:html|css|js|svg)");
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml");

  /** One file to send: {@code beforeLogin} says it may be sent to a browser without a session. */
  public record Asset(String path, String contentType, byte[] bytes, boolean beforeLogin) {}

  private final ClassLoader loader;
  private final Map<String, String> libraries;
  private final Map<String, Asset> read = new ConcurrentHashMap<>();

  private DashboardAssets(ClassLoader loader, Map<String, String> libraries) {
    this.loader = loader;
    this.libraries = libraries;
  }

  /** The dashboard from the class path that loaded this class. */
  public static DashboardAssets fromClassPath() {
    ClassLoader loader = DashboardAssets.class.getClassLoader();
    String echarts = "META-INF/resources/webjars/echarts/" + webJarVersion(loader, "echarts");
    String uplot = "META-INF/resources/webjars/uplot/" + webJarVersion(loader, "uplot");
    Map<String, String> libraries = new LinkedHashMap<>();
    // The ES module builds: the pages import them, no global script tags needed.
    libraries.put("lib/echarts.esm.min.js", echarts + "/dist/echarts.esm.min.js");
    libraries.put("lib/uPlot.esm.js", uplot + "/dist/uPlot.esm.js");
    libraries.put("lib/uPlot.min.css", uplot + "/dist/uPlot.min.css");
    libraries.put("lib/LICENSE-echarts.txt", echarts + "/LICENSE");
    libraries.put("lib/LICENSE-uplot.txt", uplot + "/LICENSE");
    return new DashboardAssets(loader, Map.copyOf(libraries));
  }

  /**
   * The file at {@code path}, the part of the URL path after {@code /ui/} (already
   * percent-decoded); the empty path is the dashboard's start page. Empty for anything that is not
   * a dashboard file.
   */
  public Optional<Asset> resolve(String path) {
    String wanted = path.isEmpty() ? "index.html" : path;
    Asset cached = read.get(wanted);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Asset> found = locate(wanted);
    // Only files that exist are kept, and only whitelisted names can exist: the map stays small.
    found.ifPresent(asset -> read.put(wanted, asset));
    return found;
  }

  private Optional<Asset> locate(String path) {
    String library = libraries.get(path);
    if (library != null) {
      String type = path.endsWith(".txt") ? "text/plain; charset=utf-8" : contentType(path);
      return load(library).map(bytes -> new Asset(path, type, bytes, false));
    }
    if (!OWN_PATH.matcher(path).matches()) {
      return Optional.empty();
    }
    return load(OWN_ROOT + path)
        .map(bytes -> new Asset(path, contentType(path), bytes, BEFORE_LOGIN.contains(path)));
  }

  private static String contentType(String path) {
    return CONTENT_TYPES.get(path.substring(path.lastIndexOf('.') + 1));
  }

  private Optional<byte[]> load(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard file " + resource, e);
    }
  }

  /** The version a WebJar was built as, from the Maven properties it carries. */
  private static String webJarVersion(ClassLoader loader, String artifact) {
    String resource = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the WebJar org.webjars.npm:"
                + artifact
                + " is not on the class path ("
                + resource
                + ")");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
