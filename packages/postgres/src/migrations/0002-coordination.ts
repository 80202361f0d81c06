import type { Migration } from './migration';

// The state the instances of one deployment share (the `Coordinator` of `@agentry/core`):
// leases (concurrency slots with expiry, and the registry of runs in flight with their cancel
// flag), budget spend per tenant and window, and each execution's event log for Last-Event-ID
// resume. Times are ms since the epoch on the coordinator's clock (bigint), so tests can inject
// one. Row-level security as in 0001: ENABLE + FORCE, one tenant per transaction through
// `agentry.tenant_id`; the reclaim sweep, which spans tenants, reads and deletes under
// `agentry.scope = 'maintenance'`.
export const coordination: Migration = {
  version: 2,
  name: 'coordination',
  up: `
create table {{schema}}.leases (
  tenant_id text not null check (tenant_id <> ''),
  execution_id text not null,
  lease_id text not null,
  expires_at bigint not null,
  cancel_requested boolean not null default false,
  run json not null,
  primary key (tenant_id, execution_id)
);
create index leases_expiry on {{schema}}.leases (expires_at);

create table {{schema}}.budget_spend (
  tenant_id text not null check (tenant_id <> ''),
  budget_window text not null,
  window_start bigint not null,
  tokens double precision not null default 0,
  cost_usd double precision not null default 0,
  primary key (tenant_id, budget_window, window_start)
);

create table {{schema}}.execution_events (
  tenant_id text not null check (tenant_id <> ''),
  execution_id text not null,
  id bigint not null,
  appended_at bigint not null,
  event json not null,
  primary key (tenant_id, execution_id, id)
);
create index execution_events_age on {{schema}}.execution_events (appended_at);

alter table {{schema}}.leases enable row level security;
alter table {{schema}}.leases force row level security;
alter table {{schema}}.budget_spend enable row level security;
alter table {{schema}}.budget_spend force row level security;
alter table {{schema}}.execution_events enable row level security;
alter table {{schema}}.execution_events force row level security;

create policy tenant_isolation on {{schema}}.leases
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy maintenance_read on {{schema}}.leases for select
  using (current_setting('agentry.scope', true) = 'maintenance');
create policy maintenance_delete on {{schema}}.leases for delete
  using (current_setting('agentry.scope', true) = 'maintenance');

create policy tenant_isolation on {{schema}}.budget_spend
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy maintenance_read on {{schema}}.budget_spend for select
  using (current_setting('agentry.scope', true) = 'maintenance');
create policy maintenance_delete on {{schema}}.budget_spend for delete
  using (current_setting('agentry.scope', true) = 'maintenance');

create policy tenant_isolation on {{schema}}.execution_events
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy maintenance_read on {{schema}}.execution_events for select
  using (current_setting('agentry.scope', true) = 'maintenance');
create policy maintenance_delete on {{schema}}.execution_events for delete
  using (current_setting('agentry.scope', true) = 'maintenance');
`,
  down: `
drop table {{schema}}.execution_events;
drop table {{schema}}.budget_spend;
drop table {{schema}}.leases;
`,
};
