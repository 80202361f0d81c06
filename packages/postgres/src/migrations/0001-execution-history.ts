import type { Migration } from './migration';

// Tenant isolation in the database: every table has row-level security ENABLEd and FORCEd (so
// the owner is held to it too), and rows are visible only to the tenant named by the
// transaction-local setting `agentry.tenant_id` (`set_config('agentry.tenant_id', $1, true)`),
// which a transaction-mode pooler (PgBouncer, Neon) cannot leak to the next client. A query
// that forgets its `where tenant_id = …` still sees one tenant only. The retention cleanup,
// the one job that spans tenants, says so explicitly with `agentry.scope = 'maintenance'`, which
// may read and delete, never write.
//
// The functions are the hot path: each sets the tenant and runs its statements in a single
// call, so a save, a read or a history page is one round trip, and the policy still applies
// (they run with the caller's rights: SECURITY INVOKER).
export const executionHistory: Migration = {
  version: 1,
  name: 'execution-history',
  up: `
create table {{schema}}.tenants (
  tenant_id text primary key check (tenant_id <> ''),
  -- The tenant's newest history position: 1 for its first record, 2 for the next, … Per tenant,
  -- so a cursor (a position) says nothing about other tenants.
  latest bigint not null default 0
);

create table {{schema}}.executions (
  tenant_id text not null check (tenant_id <> ''),
  id text not null,
  sequence bigint not null,
  agent_id text not null,
  status text not null,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  -- json, not jsonb: the record comes back byte for byte (key order, and \\u0000 in a string,
  -- which jsonb cannot hold).
  record json not null,
  primary key (tenant_id, id)
);

-- History, newest first: GET /executions and GET /executions?agentId=, both paged by position.
create unique index executions_history on {{schema}}.executions (tenant_id, sequence desc);
create index executions_agent_history on {{schema}}.executions (tenant_id, agent_id, sequence desc);
-- Retention by age.
create index executions_finished on {{schema}}.executions (finished_at);

alter table {{schema}}.tenants enable row level security;
alter table {{schema}}.tenants force row level security;
alter table {{schema}}.executions enable row level security;
alter table {{schema}}.executions force row level security;

create policy tenant_isolation on {{schema}}.tenants
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy maintenance_read on {{schema}}.tenants for select
  using (current_setting('agentry.scope', true) = 'maintenance');
create policy maintenance_delete on {{schema}}.tenants for delete
  using (current_setting('agentry.scope', true) = 'maintenance');

create policy tenant_isolation on {{schema}}.executions
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy maintenance_read on {{schema}}.executions for select
  using (current_setting('agentry.scope', true) = 'maintenance');
create policy maintenance_delete on {{schema}}.executions for delete
  using (current_setting('agentry.scope', true) = 'maintenance');

create function {{schema}}.save_execution(
  p_tenant text, p_id text, p_agent text, p_status text,
  p_started timestamptz, p_finished timestamptz, p_record json
) returns void language plpgsql as $$
declare
  v_sequence bigint;
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  update {{schema}}.executions
     set agent_id = p_agent, status = p_status, started_at = p_started, finished_at = p_finished, record = p_record
   where tenant_id = p_tenant and id = p_id;
  if found then
    return;
  end if;
  insert into {{schema}}.tenants as t (tenant_id, latest) values (p_tenant, 1)
    on conflict (tenant_id) do update set latest = t.latest + 1
    returning t.latest into v_sequence;
  insert into {{schema}}.executions (tenant_id, id, sequence, agent_id, status, started_at, finished_at, record)
    values (p_tenant, p_id, v_sequence, p_agent, p_status, p_started, p_finished, p_record)
    -- Saved twice at once: the later record wins and keeps the first position.
    on conflict (tenant_id, id) do update
      set agent_id = excluded.agent_id, status = excluded.status, started_at = excluded.started_at,
          finished_at = excluded.finished_at, record = excluded.record;
end
$$;

create function {{schema}}.get_execution(p_tenant text, p_id text) returns json language plpgsql as $$
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  return (select e.record from {{schema}}.executions e where e.tenant_id = p_tenant and e.id = p_id);
end
$$;

-- One page of history before position p_before, newest first; two statements rather than
-- "p_agent is null or …" so each keeps its own index plan.
create function {{schema}}.list_executions(p_tenant text, p_agent text, p_before bigint, p_limit integer)
returns table (page_position bigint, page_record json) language plpgsql as $$
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  if p_agent is null then
    return query
      select e.sequence, e.record from {{schema}}.executions e
       where e.tenant_id = p_tenant and e.sequence < p_before
       order by e.sequence desc limit p_limit;
  else
    return query
      select e.sequence, e.record from {{schema}}.executions e
       where e.tenant_id = p_tenant and e.agent_id = p_agent and e.sequence < p_before
       order by e.sequence desc limit p_limit;
  end if;
end
$$;
`,
  down: `
drop function {{schema}}.list_executions(text, text, bigint, integer);
drop function {{schema}}.get_execution(text, text);
drop function {{schema}}.save_execution(text, text, text, text, timestamptz, timestamptz, json);
drop table {{schema}}.executions;
drop table {{schema}}.tenants;
`,
};
