package dev.firemesh.control.operator;

import dev.firemesh.api.identity.SpiffeId;

/**
 * Who is calling the admin API, as authenticated by it: never what a caller says about itself. The
 * {@link #actor()} is what revisions and log lines record.
 */
public sealed interface Principal {
  /** The bootstrap admin: whoever holds {@code <data-dir>/admin.token}. */
  String BOOTSTRAP_ADMIN = "bootstrap-admin";

  /** How revisions, join tokens and log lines name this principal. */
  String actor();

  /** An operator with a role: by token, client certificate, or the bootstrap token. */
  record Operator(String name, Role role) implements Principal {
    @Override
    public String actor() {
      return "operator:" + name;
    }
  }

  /**
   * A workload, by its SVID presented as a client certificate: it may register, renew and
   * deregister instances of its own service only.
   */
  record Workload(SpiffeId identity) implements Principal {
    @Override
    public String actor() {
      return "workload:" + identity;
    }
  }

  /** No credentials: open routes only. */
  record Anonymous() implements Principal {
    @Override
    public String actor() {
      return "anonymous";
    }
  }
}
