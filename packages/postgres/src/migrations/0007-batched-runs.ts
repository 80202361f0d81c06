import type { Migration } from './migration';

// The two statements of the hot path for many runs at once (group commit): while one
// `acquire_lease` (or `finish_execution`) is in flight, the calls that arrive meanwhile go out
// together as one `acquire_leases` (`finish_executions`), one statement and one commit. Each
// element is the arguments of the single function, which the batch calls in array order, so the
// tenant setting (row-level security), the locks, the checks and the NOTIFY are the single
// function's, per element. One element that raises rolls the whole statement back; the caller
// then sends each element alone, through the single function, so each run gets its own answer or
// its own error. Answers one row per element: its index in the array and the single function's answer.
export const batchedRuns: Migration = {
  version: 7,
  name: 'batched-runs',
  up: `
-- p_calls: [{ tenant, execution, lease, now, expires, limit, budgets, run }] (acquire_lease's arguments).
create function {{schema}}.acquire_leases(p_calls json)
returns table (idx integer, answer text) language plpgsql as $$
declare
  v_call record;
begin
  for v_call in
    select c.value as args, c.ordinality - 1 as position
      from json_array_elements(p_calls) with ordinality as c(value, ordinality)
     order by c.ordinality
  loop
    idx := v_call.position;
    answer := {{schema}}.acquire_lease(
      v_call.args->>'tenant', v_call.args->>'execution', v_call.args->>'lease',
      (v_call.args->>'now')::bigint, (v_call.args->>'expires')::bigint, (v_call.args->>'limit')::integer,
      v_call.args->'budgets', v_call.args->'run');
    return next;
  end loop;
end
$$;

-- p_calls: [{ tenant, id, agent, status, started, finished, record, lease, spend, at, calls,
-- channel, key }] (finish_execution's arguments).
create function {{schema}}.finish_executions(p_calls json)
returns table (idx integer, answer json) language plpgsql as $$
declare
  v_call record;
begin
  for v_call in
    select c.value as args, c.ordinality - 1 as position
      from json_array_elements(p_calls) with ordinality as c(value, ordinality)
     order by c.ordinality
  loop
    idx := v_call.position;
    answer := {{schema}}.finish_execution(
      v_call.args->>'tenant', v_call.args->>'id', v_call.args->>'agent', v_call.args->>'status',
      (v_call.args->>'started')::timestamptz, (v_call.args->>'finished')::timestamptz, v_call.args->'record',
      v_call.args->>'lease', v_call.args->'spend', (v_call.args->>'at')::bigint, v_call.args->'calls',
      v_call.args->>'channel', v_call.args->>'key');
    return next;
  end loop;
end
$$;
`,
  down: `
drop function {{schema}}.finish_executions(json);
drop function {{schema}}.acquire_leases(json);
`,
};
