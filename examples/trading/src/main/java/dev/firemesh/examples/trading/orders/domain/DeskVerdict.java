package dev.firemesh.examples.trading.orders.domain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * What the desk's checks (policy, reference data, risk) said of an order it books: accepted, or
 * rejected with the reason. The aggregate records it; it does not check again. In JSON an object
 * with {@code "kind": "ACCEPTED"} or {@code "kind": "REJECTED", "reason": ..., "detail": ...}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = DeskVerdict.Accepted.class, name = "ACCEPTED"),
  @JsonSubTypes.Type(value = DeskVerdict.Rejected.class, name = "REJECTED")
})
public sealed interface DeskVerdict {
  /** Every check passed (and risk, if asked, reserved the notional). */
  record Accepted() implements DeskVerdict {}

  /**
   * @param detail what was wrong, with the values involved
   */
  record Rejected(RejectReason reason, String detail) implements DeskVerdict {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
