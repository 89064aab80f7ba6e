-- When a control plane last watched the leases (every replica's sweeper moves it forward). A lease
-- must not lapse merely because no control plane was running to take its renewals: a replica that
-- starts after such a gap pushes the leases that were live then forward by the gap.
create table lease_clock (
  id boolean primary key default true check (id),
  watched_until timestamptz not null
);
insert into lease_clock (watched_until) values (now());
