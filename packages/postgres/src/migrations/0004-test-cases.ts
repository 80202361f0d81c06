import type { Migration } from './migration';

// Saved test cases (the TestPanel's "Save as test case", `TestCaseStore` of `@agentry/core`), per
// tenant and agent. Row-level security as in 0001: ENABLE + FORCE, one tenant per transaction
// through `agentry.tenant_id`; tenant deletion and nothing else spans tenants (maintenance may
// read and delete). The case is kept whole as json (byte for byte, like execution records);
// `position` orders the list as saved; the functions make each read, save and delete one round
// trip, and create_test_case counts and inserts under a per-(tenant, agent) advisory lock, so the
// cap holds when two saves race. An update (rare) is a short transaction in the store.
export const testCases: Migration = {
  version: 4,
  name: 'test-cases',
  up: `
create table {{schema}}.test_cases (
  tenant_id text not null check (tenant_id <> ''),
  agent_id text not null,
  id text not null,
  position bigint generated always as identity,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  test_case json not null,
  primary key (tenant_id, agent_id, id)
);
create index test_cases_order on {{schema}}.test_cases (tenant_id, agent_id, position);

alter table {{schema}}.test_cases enable row level security;
alter table {{schema}}.test_cases force row level security;

create policy tenant_isolation on {{schema}}.test_cases
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy maintenance_read on {{schema}}.test_cases for select
  using (current_setting('agentry.scope', true) = 'maintenance');
create policy maintenance_delete on {{schema}}.test_cases for delete
  using (current_setting('agentry.scope', true) = 'maintenance');

create function {{schema}}.create_test_case(
  p_tenant text, p_agent text, p_id text, p_created timestamptz, p_case json, p_max integer
) returns boolean language plpgsql as $$
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  perform pg_advisory_xact_lock(hashtext('agentry.test_cases'), hashtext(p_tenant || chr(31) || p_agent));
  if (select count(*) from {{schema}}.test_cases t where t.tenant_id = p_tenant and t.agent_id = p_agent) >= p_max then
    return false;
  end if;
  insert into {{schema}}.test_cases (tenant_id, agent_id, id, created_at, updated_at, test_case)
    values (p_tenant, p_agent, p_id, p_created, p_created, p_case);
  return true;
end
$$;

create function {{schema}}.get_test_case(p_tenant text, p_agent text, p_id text) returns json language plpgsql as $$
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  return (select t.test_case from {{schema}}.test_cases t
           where t.tenant_id = p_tenant and t.agent_id = p_agent and t.id = p_id);
end
$$;

create function {{schema}}.list_test_cases(p_tenant text, p_agent text)
returns table (listed json) language plpgsql as $$
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  return query
    select t.test_case from {{schema}}.test_cases t
     where t.tenant_id = p_tenant and t.agent_id = p_agent
     order by t.position;
end
$$;

create function {{schema}}.delete_test_case(p_tenant text, p_agent text, p_id text) returns boolean language plpgsql as $$
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  delete from {{schema}}.test_cases t where t.tenant_id = p_tenant and t.agent_id = p_agent and t.id = p_id;
  return found;
end
$$;
`,
  down: `
drop function {{schema}}.delete_test_case(text, text, text);
drop function {{schema}}.list_test_cases(text, text);
drop function {{schema}}.get_test_case(text, text, text);
drop function {{schema}}.create_test_case(text, text, text, timestamptz, json, integer);
drop table {{schema}}.test_cases;
`,
};
