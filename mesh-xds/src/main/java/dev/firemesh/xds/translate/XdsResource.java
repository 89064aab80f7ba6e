package dev.firemesh.xds.translate;

import com.google.protobuf.Message;
import java.util.Objects;

/** One xDS resource with its name and its version, a hash of its content. */
public record XdsResource(String name, Message message, String version) {
  public XdsResource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(version, "version");
  }

  public static XdsResource of(String name, Message message) {
    return new XdsResource(name, message, ContentHash.of(message));
  }
}
