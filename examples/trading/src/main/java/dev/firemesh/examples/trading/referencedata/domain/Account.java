package dev.firemesh.examples.trading.referencedata.domain;

import java.util.Objects;

/**
 * A trade account orders are booked to.
 *
 * @param id the account number
 * @param name the client it belongs to
 * @param status whether it takes orders
 */
public record Account(String id, String name, AccountStatus status) {
  public Account {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
  }

  public boolean isOpen() {
    return status == AccountStatus.OPEN;
  }
}
