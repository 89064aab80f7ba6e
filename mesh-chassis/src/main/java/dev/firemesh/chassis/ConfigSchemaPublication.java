package dev.firemesh.chassis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.api.config.ConfigSchema;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the control plane the shape of the service's configuration, at every start, so that {@code
 * firemesh apply} refuses a value this version of the service could not bind. Config already stored
 * that the new schema refuses is reported back as conflicts: the service still starts (on its
 * defaults and whatever binds; a value that does not bind is refused by the feed, never half
 * applied), and the log says what an operator must fix.
 */
final class ConfigSchemaPublication {
  private static final Logger log = LoggerFactory.getLogger(ConfigSchemaPublication.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigSchemaPublication() {}

  /**
   * @throws ChassisStartException if the control plane refuses the schema itself
   */
  static void publish(AdminHttp controlPlane, ConfigSchema schema) {
    byte[] body = schema.toJson().getBytes(StandardCharsets.UTF_8);
    byte[] answer;
    try {
      answer = controlPlane.call("PUT", "/v1/config-schemas/" + schema.service(), body);
    } catch (AdminCallException e) {
      if (e.status() == 404) {
        log.warn(
            "the control plane does not take config schemas (an older version): {}'s Config is"
                + " not checked at apply time",
            schema.service());
        return;
      }
      throw new ChassisStartException(
          "cannot start "
              + schema.service()
              + ": the control plane refused its configuration schema: "
              + e.getMessage(),
          e);
    }
    try {
      JsonNode conflicts = JSON.readTree(answer).path("conflicts");
      for (JsonNode conflict : conflicts) {
        log.warn(
            "stored Config conflicts with this version's configuration schema: {}",
            conflict.isTextual() ? conflict.asText() : conflict.toString());
      }
    } catch (IOException e) {
      log.debug("unreadable answer to the schema publication: {}", e.toString());
    }
  }
}
