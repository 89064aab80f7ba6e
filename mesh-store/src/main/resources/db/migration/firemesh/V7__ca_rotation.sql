-- Staged CA rotation (issue 7): prepare a new intermediate (and root), activate it, retire the old.

-- Bumped by every rotation step: each replica polls it and reloads the CA when it moves, so a step
-- taken on one replica reaches the others within seconds and without a restart.
alter table ca_settings add column ca_version bigint not null default 0;

-- The rotation under way, if any (one row at most). Deleted by the last step; the certificates'
-- states keep the record.
create table ca_rotation (
  id int primary key default 1 check (id = 1),
  stage text not null check (stage in ('prepared', 'activated')),
  old_intermediate text not null references ca_certificates (fingerprint),
  new_intermediate text not null references ca_certificates (fingerprint),
  old_root text references ca_certificates (fingerprint),   -- null: the root stays
  new_root text references ca_certificates (fingerprint),
  prepared_at timestamptz not null,
  activated_at timestamptz,
  prepared_by text not null,
  check ((old_root is null) = (new_root is null)),
  check ((stage = 'activated') = (activated_at is not null))
);

-- Which intermediate signed each SVID, so that retiring one can wait for its SVIDs to lapse.
alter table issued_certificates add column issuer_fingerprint text;
update issued_certificates
   set issuer_fingerprint =
       (select fingerprint from ca_certificates where role = 'intermediate' and state = 'active');
create index issued_certificates_issuer on issued_certificates (issuer_fingerprint, not_after);
-- An SVID renewed by a later one is no longer presented: finding that must not scan the ledger.
create index issued_certificates_renewed on issued_certificates (renewed_serial);
