-- Resources with history. Every apply locks the single head row, so revisions are numbered
-- 1, 2, 3... without gaps and in commit order, whichever replica applies them.
create table resource_head (
  only_row boolean primary key default true check (only_row),
  revision bigint not null
);
insert into resource_head (revision) values (0);

create table revisions (
  id bigint primary key,
  actor text not null,
  message text not null,
  created_at timestamptz not null
);

-- Every version of every resource; a null body records a delete. Bodies are text, not jsonb,
-- so reads return the bytes the control plane applied.
create table resource_versions (
  kind text not null,
  name text not null,
  revision bigint not null references revisions (id),
  position int not null,
  op text not null check (op in ('CREATED', 'UPDATED', 'DELETED')),
  body text,
  primary key (kind, name, revision),
  check ((op = 'DELETED') = (body is null))
);
create index resource_versions_by_revision on resource_versions (revision, position);

-- The current state, kept in step with resource_versions by every apply.
create table resources (
  kind text not null,
  name text not null,
  body text not null,
  revision bigint not null references revisions (id),
  primary key (kind, name)
);
