-- A failed firing tried again (Task.Builder.retry): while a retry is pending, next_firing is when
-- it is due, retry_of the scheduled firing it retries, and attempt the attempt it will be. A
-- firing's row in sched_runs is rewritten by each attempt until one succeeds, counting them.
alter table sched_tasks
  add column retry_of timestamptz,
  add column attempt int not null default 1;

alter table sched_runs add column attempts int not null default 1;
