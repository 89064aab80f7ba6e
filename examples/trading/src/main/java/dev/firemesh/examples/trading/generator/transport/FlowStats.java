package dev.firemesh.examples.trading.generator.transport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.examples.trading.generator.domain.Intent;
import dev.firemesh.examples.trading.generator.domain.Ticket;
import dev.firemesh.examples.trading.plumbing.Json;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the order flow has seen: counts only, updated by the sender, read by anyone. */
final class FlowStats {
  final LongAdder sent = new LongAdder();
  final LongAdder accepted = new LongAdder();

  /** No answer, or an answer that is neither an acceptance nor a rejection: something broke. */
  final LongAdder failed = new LongAdder();

  /** Answered by the caller's sidecar with a fault a Route injects on purpose. */
  final LongAdder injected = new LongAdder();

  /** A valid order rejected for a reason other than a limit, or an invalid one accepted. */
  final LongAdder unexpected = new LongAdder();

  private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> acceptedBy = new ConcurrentHashMap<>();

  void accepted(Ticket ticket, String instance) {
    accepted.increment();
    acceptedBy.computeIfAbsent(instance, i -> new LongAdder()).increment();
    if (!ticket.intent().valid()) {
      unexpected.increment();
    }
  }

  void rejected(Ticket ticket, String reason) {
    rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    // A valid order may still hit a limit, or meet the desk's kill switch (an operator's
    // decision, applied as configuration): neither is a surprise.
    if (ticket.intent() == Intent.VALID
        && !reason.equals("LIMIT_BREACHED")
        && !reason.equals("TRADING_HALTED")) {
      unexpected.increment();
    }
  }

  long rejectedTotal() {
    return rejected.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> rejections() {
    Map<String, Long> out = new TreeMap<>();
    rejected.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  ObjectNode json() {
    ObjectNode node =
        Json.object()
            .put("sent", sent.sum())
            .put("accepted", accepted.sum())
            .put("rejected", rejectedTotal())
            .put("failed", failed.sum())
            .put("injected", injected.sum())
            .put("unexpected", unexpected.sum());
    ObjectNode reasons = node.putObject("rejections");
    rejections().forEach(reasons::put);
    ObjectNode instances = node.putObject("acceptedBy");
    new TreeMap<>(acceptedBy).forEach((instance, count) -> instances.put(instance, count.sum()));
    return node;
  }
}
