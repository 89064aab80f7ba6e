-- Service instances with leases. An instance whose lease has expired is out of discovery at once
-- (reads filter on expires_at) and its row goes at the next sweep.
create table instances (
  service text not null,
  instance_id text not null,
  address text not null,
  port int not null check (port between 1 and 65535),
  labels jsonb not null default '{}',
  ttl_millis bigint not null check (ttl_millis > 0),
  registered_at timestamptz not null,
  expires_at timestamptz not null,
  primary key (service, instance_id)
);
create index instances_by_expiry on instances (expires_at);
