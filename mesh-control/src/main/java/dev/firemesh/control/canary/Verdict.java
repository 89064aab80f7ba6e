package dev.firemesh.control.canary;

import java.util.Objects;

/** A judgement of one step: what to do, why (for people), and the figures it rests on. */
public record Verdict(Decision decision, String reason, StepFigures figures) {
  public Verdict {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(figures, "figures");
  }
}
