-- Operators of the admin API (issue 7): people and tools with a role, authenticated by a token
-- (stored as the SHA-256 of its secret, never the secret) or by a client certificate the mesh CA
-- issued them. The bootstrap admin token in <data-dir>/admin.token is not a row: it works even
-- before the database does, and a dump of this table lets nobody in.
create table operators (
  name text primary key,
  role text not null check (role in ('viewer', 'operator', 'admin')),
  token_id text not null unique,               -- the id part of fmop_<id>_<secret>
  token_sha256 text not null,                  -- hex; never the secret
  certificate_identity text unique,            -- URI SAN of its client certificate, once issued
  created_by text not null,                    -- the principal who created it
  created_at timestamptz not null default now(),
  expires_at timestamptz,                      -- null: until revoked
  revoked_at timestamptz,
  revoked_by text
);
