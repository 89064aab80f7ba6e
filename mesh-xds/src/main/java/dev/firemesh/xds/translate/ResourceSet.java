package dev.firemesh.xds.translate;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * All resources of one type, by name, with versions that tell cheaply what changed: each resource's
 * own version, and a version of the whole set (or of any subset of names) computed from the names
 * and versions it holds. Immutable.
 */
public final class ResourceSet {
  private final XdsType type;
  private final SortedMap<String, XdsResource> byName;
  private final String version;

  private ResourceSet(XdsType type, SortedMap<String, XdsResource> byName) {
    this.type = type;
    this.byName = Collections.unmodifiableSortedMap(byName);
    this.version = versionOf(byName.keySet());
  }

  /** Fails if two resources share a name: the translation must never produce that. */
  public static ResourceSet of(XdsType type, List<XdsResource> resources) {
    TreeMap<String, XdsResource> byName = new TreeMap<>();
    for (XdsResource resource : resources) {
      XdsResource previous = byName.put(resource.name(), resource);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two " + type + " resources named '" + resource.name() + "'");
      }
    }
    return new ResourceSet(type, byName);
  }

  public XdsType type() {
    return type;
  }

  /** The resources, sorted by name. */
  public SortedMap<String, XdsResource> byName() {
    return byName;
  }

  public Optional<XdsResource> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The version of the whole set: changes when any resource is added, removed or changed. */
  public String version() {
    return version;
  }

  /**
   * The version of the named resources only (all of them if {@code names} is empty), so that a
   * client watching some names is not woken by changes to others. A name not in the set counts as
   * absent, and its later arrival changes the version.
   */
  public String version(Collection<String> names) {
    return names.isEmpty() ? version : versionOf(new TreeSet<>(names));
  }

  /** The version of each resource, by name, as a delta client tracks them. */
  public Map<String, String> versions() {
    TreeMap<String, String> versions = new TreeMap<>();
    byName.forEach((name, resource) -> versions.put(name, resource.version()));
    return Collections.unmodifiableMap(versions);
  }

  private String versionOf(Collection<String> sortedNames) {
    StringBuilder text = new StringBuilder();
    for (String name : sortedNames) {
      XdsResource resource = byName.get(name);
      text.append(name).append('\0').append(resource == null ? "-" : resource.version());
      text.append('\n');
    }
    return ContentHash.of(text.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceSet other && type == other.type && byName.equals(other.byName);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + version.hashCode();
  }

  @Override
  public String toString() {
    return type + "@" + version + byName.keySet();
  }
}
