-- Config schemas (issue 9): what each service's config record accepts, published by the chassis at
-- start (or by an operator), so apply can refuse Config values the service could not bind. One row
-- per service, replaced by each publication: the schema follows the code that is running.
create table config_schemas (
  service text primary key,
  schema jsonb not null,
  digest text not null,                 -- SHA-256 of the schema's JSON form, lower-case hex
  published_at timestamptz not null default now(),
  published_by text not null            -- the principal: workload:spiffe://... or operator:name
);
