-- A schema of a test's own, migrated beside the control plane's in DatabaseTest.
create table test_notes (id bigint primary key, note text not null);
