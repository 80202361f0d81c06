import type { Migration } from './migration';

// The coordinator's hot path in one round trip per step, like the history functions of 0001:
// taking a lease (tenant setting, per-tenant lock, count, budgets, insert), releasing it with
// its settlement, and appending a burst of events (lock, order check, insert, NOTIFY) each run
// inside one function call, the statement's own transaction. Before, each was a transaction of
// 4–7 statements. The functions run with the caller's rights (SECURITY INVOKER), so row-level
// security applies as before; the advisory lock keys are the ones the statements used, so
// instances on either version exclude each other during a rolling deploy.
// (Versions 3 and 4 are the tapes and test-case migrations.)
export const coordinationFunctions: Migration = {
  version: 5,
  name: 'coordination-functions',
  up: `
-- Answers 'ok', 'taken' (the execution already holds a lease), 'limit <active>', or
-- 'budget <idx> tokens|cost' (the index of the budget in p_budgets that is spent).
create function {{schema}}.acquire_lease(
  p_tenant text, p_execution text, p_lease text, p_now bigint, p_expires bigint, p_limit integer,
  p_budgets json, p_run json
) returns text language plpgsql as $$
declare
  v_active integer;
  v_budget record;
  v_tokens double precision;
  v_cost double precision;
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  -- One acquirer per tenant at a time: the count and the insert are one decision.
  perform pg_advisory_xact_lock(hashtext('{{schema}}.lease:' || p_tenant));
  select count(*) into v_active from {{schema}}.leases where tenant_id = p_tenant and expires_at > p_now;
  if v_active >= p_limit then
    return 'limit ' || v_active;
  end if;
  for v_budget in
    select b.idx, b.budget_window, b.window_start, b.max_tokens, b.max_cost
      from json_to_recordset(p_budgets)
        as b(idx integer, budget_window text, window_start bigint, max_tokens double precision, max_cost double precision)
     order by b.idx
  loop
    v_tokens := null;
    v_cost := null;
    select s.tokens, s.cost_usd into v_tokens, v_cost from {{schema}}.budget_spend s
     where s.tenant_id = p_tenant and s.budget_window = v_budget.budget_window and s.window_start = v_budget.window_start;
    if v_budget.max_tokens is not null and coalesce(v_tokens, 0) >= v_budget.max_tokens then
      return 'budget ' || v_budget.idx || ' tokens';
    end if;
    if v_budget.max_cost is not null and coalesce(v_cost, 0) >= v_budget.max_cost then
      return 'budget ' || v_budget.idx || ' cost';
    end if;
  end loop;
  -- An expired, unreclaimed lease of the same execution id stays for the sweep.
  insert into {{schema}}.leases (tenant_id, execution_id, lease_id, expires_at, run)
    values (p_tenant, p_execution, p_lease, p_expires, p_run)
    on conflict (tenant_id, execution_id) do nothing;
  if not found then
    return 'taken';
  end if;
  return 'ok';
end
$$;

-- Deletes the lease and, when it was still there, adds the spend to each window in p_spend
-- ([{ budget_window, window_start, tokens, cost_usd }]). Answers whether the lease was there.
create function {{schema}}.release_lease(p_tenant text, p_execution text, p_lease text, p_spend json)
returns boolean language plpgsql as $$
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  delete from {{schema}}.leases where tenant_id = p_tenant and execution_id = p_execution and lease_id = p_lease;
  if not found then
    return false;
  end if;
  insert into {{schema}}.budget_spend as s (tenant_id, budget_window, window_start, tokens, cost_usd)
    select p_tenant, w.budget_window, w.window_start, w.tokens, w.cost_usd
      from json_to_recordset(coalesce(p_spend, '[]'::json))
        as w(budget_window text, window_start bigint, tokens double precision, cost_usd double precision)
    on conflict (tenant_id, budget_window, window_start)
    do update set tokens = s.tokens + excluded.tokens, cost_usd = s.cost_usd + excluded.cost_usd;
  return true;
end
$$;

-- Appends calls ([{ idx, first_id, last_id, entries: [{ id, event }] }], each call's ids already
-- increasing) in idx order; a call whose first id does not follow the last stored one is refused
-- alone. Answers the refused calls: [{ idx, after }]. NOTIFYs p_channel when anything was stored.
create function {{schema}}.append_events(
  p_tenant text, p_execution text, p_at bigint, p_calls json, p_channel text, p_key text
) returns json language plpgsql as $$
declare
  v_last bigint;
  v_call record;
  v_refused json[] := '{}';
  v_stored boolean := false;
begin
  perform set_config('agentry.tenant_id', p_tenant, true);
  perform pg_advisory_xact_lock(hashtext('{{schema}}.events:' || p_tenant || ':' || p_execution));
  select coalesce(max(id), 0) into v_last from {{schema}}.execution_events
   where tenant_id = p_tenant and execution_id = p_execution;
  for v_call in
    select c.idx, c.first_id, c.last_id, c.entries
      from json_to_recordset(p_calls) as c(idx integer, first_id bigint, last_id bigint, entries json)
     order by c.idx
  loop
    if v_call.first_id <= v_last then
      v_refused := v_refused || json_build_object('idx', v_call.idx, 'after', v_last);
      continue;
    end if;
    insert into {{schema}}.execution_events (tenant_id, execution_id, id, appended_at, event)
      select p_tenant, p_execution, e.id, p_at, e.event from json_to_recordset(v_call.entries) as e(id bigint, event json);
    v_last := v_call.last_id;
    v_stored := true;
  end loop;
  if v_stored then
    perform pg_notify(p_channel, p_key);
  end if;
  return array_to_json(v_refused);
end
$$;
`,
  down: `
drop function {{schema}}.append_events(text, text, bigint, json, text, text);
drop function {{schema}}.release_lease(text, text, text, json);
drop function {{schema}}.acquire_lease(text, text, text, bigint, bigint, integer, json, json);
`,
};
