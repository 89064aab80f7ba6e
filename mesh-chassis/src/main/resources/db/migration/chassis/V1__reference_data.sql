-- Reference data owned by this service: a change log kept as a stream of events, and the current
-- state beside it, both written in one transaction by ReferenceDataOwner.
--
-- The log is one stream for every set the service owns: a snapshot is every set at one version,
-- and a command may touch several sets at once (an instrument and its venue), which per-set
-- versions would turn into a vector. A command's changes share one version (its position in the
-- stream), so a reader at a version never sees half a command; versions are 1, 2, 3... without
-- gaps, assigned under a transaction-scoped advisory lock. In event-store terms: version is the
-- stream position, (set_name, record_key) the entity, op the event type, payload the event,
-- command_id/actor/trace_id its metadata; issue 10's event store appends the same way.
create table refdata_changes (
  version bigint not null,
  seq int not null,                -- the change's place within its command, from 0
  committed_at timestamptz not null,
  set_name text not null,
  record_key text not null,
  op text not null check (op in ('upsert', 'delete')),
  payload jsonb,                   -- the record an upsert wrote; null for a delete
  command_id text not null,
  actor text not null,
  trace_id text not null,          -- W3C trace id of the command, empty when it had none
  primary key (version, seq),
  check ((op = 'upsert') = (payload is not null))
);

-- The state at the head: what a restarted owner loads, and what it serves from memory.
create table refdata_current (
  set_name text not null,
  record_key text not null,
  payload jsonb not null,
  version bigint not null,         -- the version that wrote it last
  primary key (set_name, record_key)
);

-- Commands seen, by the id their sender gave: a repeated id answers the version it had and
-- writes nothing. Pruned with the changes, so retries are recognised while the log keeps them.
create table refdata_commands (
  command_id text primary key,
  version bigint not null,
  committed_at timestamptz not null
);

-- The stream's head, and how far its start has been pruned: a replica asking for changes after
-- a version below pruned_through is answered 410 and reloads a snapshot.
create table refdata_log (
  only_row boolean primary key default true check (only_row),
  head bigint not null,
  head_committed_at timestamptz,
  pruned_through bigint not null
);
insert into refdata_log (head, head_committed_at, pruned_through) values (0, null, 0);
