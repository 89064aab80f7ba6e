-- Where each Canary's rollout stands, so that a restarted control plane, or another replica that
-- takes the lead, carries on from the step it was at rather than starting again. A run belongs to
-- one version of the Canary's spec (its canonical JSON): a changed spec starts a new run; an
-- unchanged one that has finished is not run again.
create table canary_runs (
  canary text primary key,
  spec text not null,
  state text not null check (state in ('PROGRESSING', 'HELD', 'PROMOTED', 'FAILED')),
  step int not null check (step >= 0),
  weight int not null check (weight between 0 and 100),
  waits int not null default 0 check (waits >= 0),
  started_at timestamptz not null,
  step_started_at timestamptz not null,
  updated_at timestamptz not null,
  reason text not null default ''
);

-- Every decision of a run, with the figures it was taken on; the run's history.
create table canary_decisions (
  canary text not null references canary_runs (canary) on delete cascade,
  seq int not null,
  at timestamptz not null,
  step int not null,
  weight int not null,
  decision text not null,
  reason text not null,
  canary_requests bigint not null,
  canary_errors bigint not null,
  stable_requests bigint not null,
  stable_errors bigint not null,
  canary_p99_ms double precision,
  stable_p99_ms double precision,
  revision bigint,
  primary key (canary, seq)
);
