-- Requests an operator makes of a service through its store (docs/architecture.md, "How the CLI
-- sees a service's store"): rebuilding a projection and retrying a dead letter need the service's
-- handlers, which the CLI does not have, so the CLI inserts a request and an instance running the
-- subscription carries it out and records the outcome.
--
-- An instance works on a request inside a transaction that holds its row (FOR UPDATE SKIP LOCKED):
-- one instance at a time, and a request whose instance dies mid-way is pending again.
create table chassis_requests (
  id bigserial primary key,
  kind text not null check (kind in ('subscription.rebuild', 'subscription.retry')),
  subscription text not null,
  event_id uuid,                         -- the dead letter to retry; null for a rebuild
  requested_by text not null,
  requested_at timestamptz not null default clock_timestamp(),
  claimed_by text,                       -- the instance that carried it out
  done_at timestamptz,                   -- null while pending
  outcome text check (outcome in
    ('rebuilt', 'handled', 'failed', 'not-found', 'refused', 'withdrawn')),
  error text,                            -- why it failed, was refused or withdrawn
  check ((kind = 'subscription.retry') = (event_id is not null)),
  check ((done_at is null) = (outcome is null))
);
create index chassis_requests_pending on chassis_requests (subscription, id)
  where done_at is null;
