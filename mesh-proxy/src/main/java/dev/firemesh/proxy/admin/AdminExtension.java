package dev.firemesh.proxy.admin;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What code running beside the sidecar in its process adds to the admin listener: JSON pages of its
 * own and metrics. {@code firemesh run}'s supervisor shows the app it runs this way ({@code /app},
 * {@code firemesh_proxy_app_restarts_total}), so that one port tells the whole story of an
 * instance.
 *
 * <p>Pages are read on the event loop and metrics on the admin's report executor: both must answer
 * from memory (a published snapshot), never wait on I/O or a lock held across it.
 */
public interface AdminExtension {
  /** Nothing added: the sidecar alone ({@code firemesh proxy}). */
  AdminExtension NONE =
      new AdminExtension() {
        @Override
        public Map<String, Supplier<String>> jsonPages() {
          return Map.of();
        }

        @Override
        public List<AdminMetric> metrics() {
          return List.of();
        }
      };

  /**
   * JSON pages by path ({@code /app}); a path the sidecar serves itself is not overridden. Each
   * supplier gives the page's body now.
   */
  Map<String, Supplier<String>> jsonPages();

  /** The metrics as they stand now, shown after the sidecar's own on both stats pages. */
  List<AdminMetric> metrics();

  /**
   * Metric families already in Prometheus text format 0.0.4 (a Micrometer registry's scrape),
   * appended as they are to {@code /stats/prometheus}, after everything else. Their names must not
   * be the sidecar's own ({@code firemesh_proxy_*}). Read on the admin's report executor.
   */
  default String exposition() {
    return "";
  }
}
