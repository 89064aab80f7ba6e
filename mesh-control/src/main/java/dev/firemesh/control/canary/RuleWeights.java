package dev.firemesh.control.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Canary;
import java.util.function.UnaryOperator;

/**
 * The edit a canary makes to its Route: the named rule's destinations become exactly the stable
 * subset at {@code 100 - w} and the canary subset at {@code w}; the rest of the Route (matches,
 * timeouts, retries, other rules) is left as it is. Works on the canonical tree, so the edited
 * Route goes through the same parsing and checks as one a user applies.
 */
final class RuleWeights {
  private RuleWeights() {}

  /**
   * @throws MissingRuleException if the Route no longer has the rule
   */
  static UnaryOperator<ObjectNode> set(Canary.Spec spec, int canaryWeight) {
    return route -> {
      for (JsonNode rule : route.path("spec").path("rules")) {
        if (rule instanceof ObjectNode r && spec.rule().equals(r.path("name").asText())) {
          ArrayNode destinations = r.putArray("destinations");
          destinations.addObject().put("subset", spec.stable()).put("weight", 100 - canaryWeight);
          destinations.addObject().put("subset", spec.canary()).put("weight", canaryWeight);
          return route;
        }
      }
      throw new MissingRuleException(
          "Route/" + spec.route() + " has no rule named \"" + spec.rule() + "\" any more");
    };
  }

  /** The Route changed so that the canary's rule is gone. */
  static final class MissingRuleException extends RuntimeException {
    MissingRuleException(String message) {
      super(message);
    }
  }
}
