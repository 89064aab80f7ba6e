-- Coordinated scheduled tasks (docs/architecture.md, "Scheduler").
--
-- Each task is a lease: the instance that owns it runs its firings. Every claim adds one to the
-- token, and every write made for a firing first locks the row FOR SHARE and checks the token, so
-- an owner that lost its lease (paused, cut off) writes nothing; a claim, an UPDATE, waits for
-- such a transaction to end. Lease times are the database's clock, one clock for every instance.
create table sched_tasks (
  task text primary key,
  kind text not null check (kind in ('cron', 'fixed-rate', 'fixed-delay', 'once')),
  spec text not null,                    -- the schedule as listed: 0 17 * * * Europe/London, ...
  owner text,                            -- the instance holding the lease; null once released
  token bigint not null default 0,       -- fencing token: one more at every claim
  lease_until timestamptz,
  next_firing timestamptz,               -- null when no firing is left (a once task done)
  last_firing timestamptz,
  last_started timestamptz,
  last_finished timestamptz,
  last_outcome text check (last_outcome in ('succeeded', 'failed')),
  last_error text,
  runs bigint not null default 0
);

-- A firing done, whoever ran it: the primary key makes it once. The owner that ran it wrote it in
-- the transaction of the task's fenced work (or, for a body with none, when the body returned).
create table sched_runs (
  task text not null references sched_tasks (task) on delete cascade,
  firing timestamptz not null,
  token bigint not null,                 -- the lease it ran under
  instance text not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  outcome text not null check (outcome in ('succeeded', 'failed')),
  error text,
  primary key (task, firing)
);

-- Instances running a scheduler, so each claims no more than its fair share of the tasks.
create table sched_members (
  instance text primary key,
  alive_until timestamptz not null
);
