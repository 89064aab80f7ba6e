-- One membership for every fair share: the instances running the scheduler (work 'scheduler') or
-- one subscription (work 'subscription:<name>') heartbeat here, and each claims no more than
-- ceil(items / live members) of the tasks or partitions. The rows are heartbeats: nothing carries
-- over from the two tables this replaces.
create table chassis_members (
  work text not null,
  instance text not null,
  alive_until timestamptz not null,
  primary key (work, instance)
);

drop table sched_members;
drop table es_subscription_members;
