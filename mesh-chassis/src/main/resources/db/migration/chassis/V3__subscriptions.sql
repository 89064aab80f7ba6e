-- Subscriptions to the event store (docs/architecture.md, "Subscriptions").
--
-- Each (subscription, partition) row is both the durable checkpoint and a lease with a fencing
-- token: whoever holds the partition moves its position only with `token = ?`, so an owner that
-- lost it (paused, partitioned, or fenced by a rebuild) changes nothing.
create table es_subscription_partitions (
  subscription text not null,
  partition int not null check (partition >= 0),
  position bigint not null default 0 check (position >= 0),  -- last global position dealt with
  owner text,                                                 -- instance id; null when free
  token bigint not null default 0,                            -- +1 on every claim and rebuild
  lease_until timestamptz,                                    -- database clock
  updated_at timestamptz not null default clock_timestamp(),
  primary key (subscription, partition)
);

-- Instances running a subscription, heartbeated: each claims its fair share of the partitions,
-- ceil(partitions / live members).
create table es_subscription_members (
  subscription text not null,
  instance text not null,
  seen_until timestamptz not null,
  primary key (subscription, instance)
);

-- Events a subscription's handler failed on too often: parked here, the checkpoint moved past.
create table es_dead_letters (
  subscription text not null,
  event_id uuid not null,
  position bigint not null,
  stream_id text not null,
  event_type text not null,
  attempts int not null,
  last_error text not null,
  parked_at timestamptz not null default clock_timestamp(),
  primary key (subscription, event_id)
);
