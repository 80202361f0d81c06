import type { Migration } from './migration';

// A run's end in one round trip: its last buffered events, its record and the release of its
// lease (with the budget settlement) in one function call, the statement's own transaction. With
// `acquire_lease` before the run, a mock execution costs two round trips. The function calls the
// functions of 0001 and 0005, so the locks, order checks, RLS and NOTIFY are theirs: a reader on
// another instance sees the events and the record appear together, at commit.
// `cancel_flags` reads the cancel flags of every run of an instance in one statement (the poll
// that backs up LISTEN), one tenant at a time so row-level security still applies.
export const finishExecution: Migration = {
  version: 6,
  name: 'finish-execution',
  up: `
-- Answers { refused: [{ idx, after }] (as append_events), released: whether the lease was there }.
create function {{schema}}.finish_execution(
  p_tenant text, p_id text, p_agent text, p_status text, p_started timestamptz, p_finished timestamptz,
  p_record json, p_lease text, p_spend json, p_at bigint, p_calls json, p_channel text, p_key text
) returns json language plpgsql as $$
declare
  v_refused json;
  v_released boolean;
begin
  v_refused := {{schema}}.append_events(p_tenant, p_id, p_at, p_calls, p_channel, p_key);
  perform {{schema}}.save_execution(p_tenant, p_id, p_agent, p_status, p_started, p_finished, p_record);
  v_released := {{schema}}.release_lease(p_tenant, p_id, p_lease, p_spend);
  return json_build_object('refused', v_refused, 'released', v_released);
end
$$;

-- The leases of p_leases ([{ tenant_id, execution_id, lease_id }]) whose cancel was requested.
create function {{schema}}.cancel_flags(p_leases json) returns setof text language plpgsql as $$
declare
  v_tenant text;
begin
  for v_tenant in select distinct r.tenant_id from json_to_recordset(p_leases) as r(tenant_id text) loop
    perform set_config('agentry.tenant_id', v_tenant, true);
    return query
      select l.lease_id from {{schema}}.leases l
        join json_to_recordset(p_leases) as r(tenant_id text, execution_id text, lease_id text)
          on l.tenant_id = r.tenant_id and l.execution_id = r.execution_id and l.lease_id = r.lease_id
       where r.tenant_id = v_tenant and l.tenant_id = v_tenant and l.cancel_requested;
  end loop;
end
$$;
`,
  down: `
drop function {{schema}}.cancel_flags(json);
drop function {{schema}}.finish_execution(text, text, text, text, timestamptz, timestamptz, json, text, json, bigint, json, text, text);
`,
};
