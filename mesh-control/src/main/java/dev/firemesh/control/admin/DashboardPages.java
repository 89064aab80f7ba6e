package dev.firemesh.control.admin;

import dev.firemesh.control.operator.Principal;
import dev.firemesh.dashboard.DashboardAssets;
import dev.firemesh.dashboard.DashboardAssets.Asset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the dashboard under {@code /ui/}: the login page and what it needs to anyone, every other
 * file to an operator only (in practice by the session cookie); a browser without one is sent to
 * the login page. Which paths are files at all is the dashboard's decision ({@link
 * DashboardAssets}, a strict whitelist), so no path reaches anything else on the class path.
 */
public final class DashboardPages {
  static final String ROOT = "/ui/";

  private final DashboardAssets assets;

  public DashboardPages(DashboardAssets assets) {
    this.assets = assets;
  }

  public void registerOn(AdminServer server) {
    // Three depths cover every dashboard file: /ui/, /ui/app.js, /ui/js/map.js, /ui/lib/...
    for (String pattern : new String[] {"/ui", "/ui/{file}", "/ui/{folder}/{file}"}) {
      server.replyRoute("GET", pattern, AdminServer.Access.OPEN, this::page);
    }
  }

  private AdminServer.Reply page(AdminRequest request) {
    String path = request.path();
    if (!path.startsWith(ROOT)) {
      return redirect(ROOT);
    }
    Optional<Asset> found = assets.resolve(path.substring(ROOT.length()));
    if (found.isEmpty()) {
      return text(404, "no dashboard page " + path);
    }
    Asset asset = found.get();
    if (!asset.beforeLogin() && !(request.principal() instanceof Principal.Operator)) {
      return redirect(ROOT + DashboardAssets.LOGIN_PAGE);
    }
    return new AdminServer.Reply(
        200, asset.contentType(), asset.bytes(), DashboardAssets.SECURITY_HEADERS);
  }

  private static AdminServer.Reply redirect(String location) {
    Map<String, String> headers = new HashMap<>(DashboardAssets.SECURITY_HEADERS);
    headers.put("Location", location);
    return new AdminServer.Reply(
        302,
        "text/plain; charset=utf-8",
        ("see " + location).getBytes(StandardCharsets.UTF_8),
        headers);
  }

  private static AdminServer.Reply text(int status, String message) {
    return new AdminServer.Reply(
        status,
        "text/plain; charset=utf-8",
        message.getBytes(StandardCharsets.UTF_8),
        DashboardAssets.SECURITY_HEADERS);
  }
}
