import type { Migration } from './migration';

// Tapes stored server-side (`createPostgresTapeStore`): one row per recorded model call, keyed by
// tenant, agent, request key and attempt; the entry itself as JSON in the tape format (its
// version in `format_version`); and the mock saved last per agent (`tape_mocks`). Row-level security as in 0001: ENABLE + FORCE, one tenant per
// transaction through `agentry.tenant_id`, so a tape recorded for one tenant is never read,
// replaced or deleted for another, whatever the query says.
export const tapes: Migration = {
  version: 3,
  name: 'tapes',
  up: `
create table {{schema}}.tape_entries (
  tenant_id text not null check (tenant_id <> ''),
  agent_id text not null check (agent_id <> ''),
  key text not null check (key ~ '^sha256:[0-9a-f]{64}$'),
  attempt integer not null check (attempt >= 1),
  format_version integer not null,
  recorded_at timestamptz not null,
  entry json not null,
  primary key (tenant_id, agent_id, key, attempt)
);

-- "Save as mock": the mock script saved last for an agent and tenant.
create table {{schema}}.tape_mocks (
  tenant_id text not null check (tenant_id <> ''),
  agent_id text not null check (agent_id <> ''),
  execution_id text not null,
  saved_at timestamptz not null,
  mock json not null,
  primary key (tenant_id, agent_id)
);

alter table {{schema}}.tape_entries enable row level security;
alter table {{schema}}.tape_entries force row level security;

alter table {{schema}}.tape_mocks enable row level security;
alter table {{schema}}.tape_mocks force row level security;

create policy tenant_isolation on {{schema}}.tape_entries
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy tenant_isolation on {{schema}}.tape_mocks
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
`,
  down: `
drop table {{schema}}.tape_mocks;
drop table {{schema}}.tape_entries;
`,
};
