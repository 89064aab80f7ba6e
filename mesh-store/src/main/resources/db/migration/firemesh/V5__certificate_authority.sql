-- The mesh's certificate authority (issue 7). Nothing secret is stored in clear: CA private keys
-- are AES-256-GCM ciphertext under a key-encryption key that lives outside the database (a file
-- beside the data, or one the operator supplies), and join tokens are stored as the SHA-256 of
-- their secret. A dump of these tables lets nobody sign or join.

-- One row: the trust domain, fixed at the first start; replicas started with another refuse.
create table ca_settings (
  id int primary key default 1 check (id = 1),
  trust_domain text not null,
  created_at timestamptz not null default now()
);

-- Roots and intermediates. Exactly one intermediate is active (it signs); roots that are active
-- or trusted make the trust bundle; retired ones are kept for the record.
create table ca_certificates (
  fingerprint text primary key,                -- SHA-256 of the DER, lower-case hex
  role text not null check (role in ('root', 'intermediate')),
  issuer_fingerprint text references ca_certificates (fingerprint),
  subject text not null,
  serial text not null,                        -- hex
  certificate_pem text not null,
  private_key bytea,                           -- nonce || ciphertext || tag; null: key kept elsewhere
  kek_id text,                                 -- which key-encryption key sealed private_key
  state text not null check (state in ('active', 'trusted', 'retired')),
  not_before timestamptz not null,
  not_after timestamptz not null,
  created_at timestamptz not null default now(),
  check ((private_key is null) = (kek_id is null))
);
create unique index ca_certificates_one_active_intermediate
  on ca_certificates (role) where role = 'intermediate' and state = 'active';

-- Join tokens: one-time (or few-times) credentials an operator hands a workload for its first
-- SVID. Uses are counted by one conditional UPDATE against the database clock, so replicas can
-- never together use a token more than max_uses times.
create table join_tokens (
  id text primary key,
  secret_sha256 text not null,                 -- hex; never the secret
  service text not null,
  env text not null,
  expires_at timestamptz not null,
  max_uses int not null check (max_uses >= 1),
  uses int not null default 0 check (uses >= 0 and uses <= max_uses),
  created_by text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

-- Every SVID signed, and on what grounds: a join token or the possession of a previous SVID.
create table issued_certificates (
  serial text primary key,                     -- hex
  spiffe_id text not null,
  not_after timestamptz not null,
  issued_at timestamptz not null default now(),
  via text not null check (via in ('join-token', 'renewal')),
  join_token_id text references join_tokens (id),
  renewed_serial text,                         -- the serial of the SVID that proved possession
  check ((via = 'join-token') = (join_token_id is not null))
);
create index issued_certificates_spiffe_id on issued_certificates (spiffe_id, issued_at);
