package dev.firemesh.control.telemetry;

import dev.firemesh.store.registry.Instance;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The services the mesh knows, whether or not they carry traffic: registered instances and how many
 * of them are healthy, by service. Read by the collector once per scrape, so the graph never waits
 * on the database.
 */
public record Inventory(Map<String, Count> services) {
  public static final Inventory NONE = new Inventory(Map.of());

  public Inventory {
    services = java.util.Collections.unmodifiableMap(new TreeMap<>(services));
  }

  /** A service's instances, and those of them that are healthy. */
  public record Count(int instances, int healthy) {}

  /**
   * The label an instance may carry to say it is not serving ({@code unhealthy}, {@code draining}).
   */
  public static final String HEALTH_LABEL = "health";

  /**
   * From the registry's live instances and the services declared as resources (shown with no
   * instances until some register). The registry holds only instances whose lease is live, so an
   * instance counts as healthy unless its {@value #HEALTH_LABEL} label says otherwise.
   */
  public static Inventory of(List<Instance> instances, Collection<String> declared) {
    Map<String, Count> services = new HashMap<>();
    declared.forEach(service -> services.put(service, new Count(0, 0)));
    for (Instance i : instances) {
      boolean healthy = health(i).equals("healthy");
      services.merge(
          i.service(),
          new Count(1, healthy ? 1 : 0),
          (a, b) -> new Count(a.instances() + b.instances(), a.healthy() + b.healthy()));
    }
    return new Inventory(services);
  }

  /** An instance's health as the API shows it. */
  public static String health(Instance instance) {
    return instance.labels().getOrDefault(HEALTH_LABEL, "healthy");
  }

  public Count count(String service) {
    return services.getOrDefault(service, new Count(0, 0));
  }
}
