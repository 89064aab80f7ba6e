-- The event store (docs/architecture.md, "Commands, events and scheduled tasks").
--
-- Appends insert with position null; the sequencer numbers committed rows after the fact, one
-- numbering transaction at a time, so readers following positions never skip an event and
-- writers to different streams never wait for each other.
create table es_events (
  event_id uuid primary key,
  stream_id text not null,
  category text not null,               -- stream_id up to its first '-': order-42 -> order
  stream_version bigint not null check (stream_version > 0),  -- 1, 2, 3... per stream
  event_type text not null,
  schema_version int not null check (schema_version > 0),
  payload jsonb not null,
  command_id text,                      -- the command that decided it, if any
  causation_id text,                    -- the command or event id that caused it
  correlation_id text not null,         -- the first message of the chain
  trace_id text not null default '',    -- W3C trace id, empty when there was none
  actor text not null,                  -- SPIFFE id or operator name of whoever asked
  recorded_at timestamptz not null default clock_timestamp(),
  staged bigint generated always as identity,  -- insert order, for the sequencer only
  position bigint unique,               -- global position, 1, 2, 3...; null until sequenced
  unique (stream_id, stream_version)
);
create index es_events_unsequenced on es_events (staged) where position is null;
create index es_events_category on es_events (category, position);
create index es_events_type on es_events (event_type, position);

-- The last global position given; moved by the sequencer in the transaction that numbers.
create table es_head (
  only_row boolean primary key default true check (only_row),
  position bigint not null
);
insert into es_head (position) values (0);

-- The latest snapshot of a stream's state, to load a long stream without replaying it all.
create table es_snapshots (
  stream_id text primary key,
  stream_version bigint not null,
  state_type text not null,
  schema_version int not null,
  payload jsonb not null,
  taken_at timestamptz not null default clock_timestamp()
);

-- Every command's outcome, by the id its sender gave, kept for good: a retry however late
-- answers the same outcome and decides nothing again.
create table es_commands (
  command_id text primary key,
  stream_id text not null,
  command_type text not null,
  outcome jsonb not null,               -- {"outcome":"accepted",...} or {"outcome":"rejected",...}
  recorded_at timestamptz not null default clock_timestamp()
);
