import type { Migration } from './migration';

// A NUL (`\u0000`) or a lone surrogate (`\ud800`) in a run's events, record or input. PostgreSQL's
// `json` stores them as written, but every function that reads a field of a JSON value (`->`,
// `->>`, `json_to_recordset`) decodes every string of that value to text, which holds neither, and
// fails the statement ("unsupported Unicode escape sequence"). `append_events`, `finish_execution`
// and the batches of migration 7 read their arguments that way, so such a run could not finish.
//
// So the caller sends each of those values as a JSON string holding its JSON text (an event
// `{"delta":"a\u0000"}` travels as `"{\"delta\":\"a\\u0000\"}"`): decoding the argument then
// yields the exact text, with no `\u0000` or lone surrogate left to decode, and `json_text` casts
// it back to `json`, which stores it byte for byte. A value that is not a string (what a caller of
// version 7 sends during a rolling deploy) is taken as before. Stored rows do not change.
export const jsonAsText: Migration = {
  version: 8,
  name: 'json-as-text',
  up: `
-- The JSON a value carries: the text of a JSON string, parsed; anything else as it is.
create function {{schema}}.json_text(p_value json) returns json language sql immutable as $$
  select case when json_typeof(p_value) = 'string' then (p_value #>> '{}')::json else p_value end
$$;

create or replace function {{schema}}.append_events(
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
      select p_tenant, p_execution, e.id, p_at, {{schema}}.json_text(e.event)
        from json_to_recordset(v_call.entries) as e(id bigint, event json);
    v_last := v_call.last_id;
    v_stored := true;
  end loop;
  if v_stored then
    perform pg_notify(p_channel, p_key);
  end if;
  return array_to_json(v_refused);
end
$$;

create or replace function {{schema}}.acquire_leases(p_calls json)
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
      v_call.args->'budgets', {{schema}}.json_text(v_call.args->'run'));
    return next;
  end loop;
end
$$;

create or replace function {{schema}}.finish_executions(p_calls json)
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
      (v_call.args->>'started')::timestamptz, (v_call.args->>'finished')::timestamptz,
      {{schema}}.json_text(v_call.args->'record'),
      v_call.args->>'lease', v_call.args->'spend', (v_call.args->>'at')::bigint, v_call.args->'calls',
      v_call.args->>'channel', v_call.args->>'key');
    return next;
  end loop;
end
$$;
`,
  // Version 7's functions, as they were.
  down: `
create or replace function {{schema}}.finish_executions(p_calls json)
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

create or replace function {{schema}}.acquire_leases(p_calls json)
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

create or replace function {{schema}}.append_events(
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

drop function {{schema}}.json_text(json);
`,
};
