-- The traffic between services, 10 s at a time: what each control-plane replica's collector saw
-- on each edge (source -> destination) in each 10-second bucket, kept for days so that anomaly
-- detection, root-cause analysis and replay (issue 8, part 2) can compare the present with the
-- past. A replica scrapes only the sidecars connected to it, so the mesh's figure for a bucket
-- and edge is the sum over replicas.
--
-- Partitioned by day on bucket_start: the collector creates the next days' partitions ahead and
-- drops whole partitions past the retention (TelemetryRollups.maintain), so expiry is a DROP
-- TABLE, not a DELETE that bloats the table. Partitions are named telemetry_edge_rollups_YYYYMMDD
-- (UTC day).
create table telemetry_edge_rollups (
  bucket_start timestamptz not null,
  replica text not null,
  source text not null,
  destination text not null,
  requests bigint not null check (requests >= 0),
  errors bigint not null check (errors >= 0 and errors <= requests),
  -- The latency histogram of the bucket's calls: upper bounds in seconds ('Infinity' last) and
  -- cumulative counts at each, as Prometheus keeps them; same length.
  bucket_bounds double precision[] not null,
  bucket_counts bigint[] not null,
  -- Interpolated from the histogram; null without calls.
  p50_ms double precision,
  p99_ms double precision,
  primary key (bucket_start, replica, source, destination),
  check (cardinality(bucket_bounds) = cardinality(bucket_counts))
) partition by range (bucket_start);

-- Reading one edge (or every edge into a service) over time is what part 2 does most.
create index telemetry_edge_rollups_edge on telemetry_edge_rollups (source, destination, bucket_start);
create index telemetry_edge_rollups_destination on telemetry_edge_rollups (destination, bucket_start);
