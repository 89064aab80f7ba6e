package dev.firemesh.examples.trading.referencedata.domain;

import dev.firemesh.chassis.refdata.domain.ReferenceSeed;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.refdata.owner.Command;
import dev.firemesh.chassis.refdata.owner.Edit;
import java.util.ArrayList;
import java.util.List;

/**
 * The starting set as one command to the owner: every venue, instrument and account of {@link
 * ReferenceSeed}. Its id is fixed, so applying it again (every later start) is answered with the
 * version it made and writes nothing: changes made since are kept.
 */
public final class SeedCommand {
  /** Change the id when the seed itself changes, so existing stores take the new one. */
  public static final String ID = "seed-v1";

  private SeedCommand() {}

  public static Command of() {
    List<Edit> edits = new ArrayList<>();
    ReferenceSeed.venues().forEach(v -> edits.add(Edit.upsert(ReferenceSets.VENUES, v)));
    ReferenceSeed.instruments().forEach(i -> edits.add(Edit.upsert(ReferenceSets.INSTRUMENTS, i)));
    ReferenceSeed.accounts().forEach(a -> edits.add(Edit.upsert(ReferenceSets.ACCOUNTS, a)));
    return new Command(ID, "seed", "", edits);
  }
}
