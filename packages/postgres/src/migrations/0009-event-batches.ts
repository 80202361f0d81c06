import type { Migration } from './migration';

// What was left of PostgreSQL's work per run once concurrent runs shared their statements
// (migration 7) was the functions' own work, and most of it was per event: `append_events`
// inserted one row per event (a heap tuple and two index entries each) and every run of a
// `finish_executions` batch sent its own NOTIFY. Now:
//
// - An append call is one row of `execution_event_batches`: the ids of its events (increasing)
//   and the events as one JSON array, in the same order, keyed by the call's last id. A mock run's
//   finish writes its three events as one row. Readers select the rows whose last id is past
//   Last-Event-ID and take the events after it, so resume by id is unchanged. The array is never
//   decoded in SQL (it may hold a NUL, see migration 8): the caller sends its text as a JSON
//   string, `json_text` stores it as it is, and the ids travel beside it.
// - `finish_executions` sends one NOTIFY for the whole batch, whose payload is a JSON array of the
//   runs' keys (`[["tenant","execution"],…]`, split below 8000 bytes), instead of one per run.
//   The single functions still NOTIFY one key.
// - The leases' `expires_at` index goes: only the sweep used it, on a table that holds only the runs
//   in flight, and every acquire paid an index entry for it.
// - `acquire_lease` commits without waiting for its WAL to be flushed (`synchronous_commit = off`
//   for its own transaction): on this kind of machine the flush cost a backend about as much CPU
//   as the function itself. A commit is still atomic and visible at once to every instance; what
//   a crash of PostgreSQL itself (not of an instance) can lose is the leases taken in the last
//   moments before it (at most about 3 × wal_writer_delay, 600 ms by default, and less under load:
//   the next synchronous commit, any finish, flushes them too). Such a run finishes normally; its
//   release finds no lease, so its spend is not settled, and if its instance died with the
//   database, the sweep has no lease to record it `interrupted` by. Records, events, releases and
//   settlements (the finish) keep synchronous commits.
//
// The rows of `execution_events` move into the new table (grouped per execution) and back on
// rollback; the old table stays, empty, so version 8's functions find it again.
export const eventBatches: Migration = {
  version: 9,
  name: 'event-batches',
  up: `
create table {{schema}}.execution_event_batches (
  tenant_id text not null check (tenant_id <> ''),
  execution_id text not null,
  last_id bigint not null,
  ids bigint[] not null,
  appended_at bigint not null,
  -- The events of ids, in order: a JSON array, never decoded in SQL.
  events json not null,
  primary key (tenant_id, execution_id, last_id)
);
create index execution_event_batches_age on {{schema}}.execution_event_batches (appended_at);

alter table {{schema}}.execution_event_batches enable row level security;
alter table {{schema}}.execution_event_batches force row level security;
create policy tenant_isolation on {{schema}}.execution_event_batches
  using (tenant_id = current_setting('agentry.tenant_id', true))
  with check (tenant_id = current_setting('agentry.tenant_id', true));
create policy maintenance_read on {{schema}}.execution_event_batches for select
  using (current_setting('agentry.scope', true) = 'maintenance');
create policy maintenance_delete on {{schema}}.execution_event_batches for delete
  using (current_setting('agentry.scope', true) = 'maintenance');

-- The logs written so far, one row per execution (the owner moves every tenant's rows).
alter table {{schema}}.execution_events no force row level security;
alter table {{schema}}.execution_event_batches no force row level security;
insert into {{schema}}.execution_event_batches (tenant_id, execution_id, last_id, ids, appended_at, events)
  select tenant_id, execution_id, max(id), array_agg(id order by id), max(appended_at), json_agg(event order by id)
    from {{schema}}.execution_events group by tenant_id, execution_id;
delete from {{schema}}.execution_events;
alter table {{schema}}.execution_events force row level security;
alter table {{schema}}.execution_event_batches force row level security;

drop index {{schema}}.leases_expiry;

-- As version 5, with an asynchronous commit (see above).
create or replace function {{schema}}.acquire_lease(
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
  -- This transaction's commit does not wait for its WAL to reach the disk (see above).
  perform set_config('synchronous_commit', 'off', true);
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

-- p_calls: [{ idx, first_id, last_id, ids: [id, …], events: "<JSON text of the array of events>" }],
-- each call's ids increasing; a call whose first id does not follow the last stored one is
-- refused alone. A call of version 8 ({ idx, first_id, last_id, entries: [{ id, event }] }) is
-- stored the same way. Answers the refused calls: [{ idx, after }]. NOTIFYs p_channel when
-- anything was stored, unless p_channel is null (the batch notifies once for all its runs).
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
  select coalesce(max(last_id), 0) into v_last from {{schema}}.execution_event_batches
   where tenant_id = p_tenant and execution_id = p_execution;
  for v_call in
    select c.idx, c.first_id, c.last_id, c.ids, c.events, c.entries
      from json_to_recordset(p_calls)
        as c(idx integer, first_id bigint, last_id bigint, ids bigint[], events json, entries json)
     order by c.idx
  loop
    if v_call.first_id <= v_last then
      v_refused := v_refused || json_build_object('idx', v_call.idx, 'after', v_last);
      continue;
    end if;
    if v_call.entries is null then
      insert into {{schema}}.execution_event_batches (tenant_id, execution_id, last_id, ids, appended_at, events)
        values (p_tenant, p_execution, v_call.last_id, v_call.ids, p_at, {{schema}}.json_text(v_call.events));
    else
      insert into {{schema}}.execution_event_batches (tenant_id, execution_id, last_id, ids, appended_at, events)
        select p_tenant, p_execution, v_call.last_id, array_agg(e.id order by e.id), p_at,
               json_agg({{schema}}.json_text(e.event) order by e.id)
          from json_to_recordset(v_call.entries) as e(id bigint, event json);
    end if;
    v_last := v_call.last_id;
    v_stored := true;
  end loop;
  if v_stored and p_channel is not null then
    perform pg_notify(p_channel, p_key);
  end if;
  return array_to_json(v_refused);
end
$$;

-- Each element's fields read in one pass (json_to_recordset): '->>' on a json value parses
-- the element again for every field, the record and the events included. One NOTIFY for the
-- batch: a JSON array of the runs' keys, split so that no payload reaches PostgreSQL's limit of
-- 8000 bytes.
create or replace function {{schema}}.finish_executions(p_calls json)
returns table (idx integer, answer json) language plpgsql as $$
declare
  v_call record;
  v_channel text;
  v_keys text := '';
begin
  for v_call in
    select c.*, c.ordinality - 1 as position
      from rows from (json_to_recordset(p_calls)
        as (tenant text, id text, agent text, status text, started text, finished text, record json,
            lease text, spend json, at text, calls json, channel text, key text)) with ordinality
        as c(tenant, id, agent, status, started, finished, record, lease, spend, at, calls, channel, key, ordinality)
     order by c.ordinality
  loop
    idx := v_call.position;
    answer := {{schema}}.finish_execution(
      v_call.tenant, v_call.id, v_call.agent, v_call.status, v_call.started::timestamptz,
      v_call.finished::timestamptz, {{schema}}.json_text(v_call.record), v_call.lease, v_call.spend,
      v_call.at::bigint, v_call.calls, null, null);
    v_channel := v_call.channel;
    if v_keys <> '' and octet_length(v_keys) + octet_length(v_call.key) > 7900 then
      perform pg_notify(v_channel, '[' || v_keys || ']');
      v_keys := '';
    end if;
    v_keys := case when v_keys = '' then v_call.key else v_keys || ',' || v_call.key end;
    return next;
  end loop;
  if v_keys <> '' then
    perform pg_notify(v_channel, '[' || v_keys || ']');
  end if;
end
$$;

-- As version 8, each element's fields read in one pass.
create or replace function {{schema}}.acquire_leases(p_calls json)
returns table (idx integer, answer text) language plpgsql as $$
declare
  v_call record;
begin
  for v_call in
    select c.*, c.ordinality - 1 as position
      from rows from (json_to_recordset(p_calls)
        as (tenant text, execution text, lease text, now text, expires text, "limit" text, budgets json, run json))
        with ordinality as c(tenant, execution, lease, now, expires, "limit", budgets, run, ordinality)
     order by c.ordinality
  loop
    idx := v_call.position;
    answer := {{schema}}.acquire_lease(
      v_call.tenant, v_call.execution, v_call.lease, v_call.now::bigint, v_call.expires::bigint,
      v_call."limit"::integer, v_call.budgets, {{schema}}.json_text(v_call.run));
    return next;
  end loop;
end
$$;
`,
  // Version 8's functions and index, and the logs back as one row per event.
  down: `
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

create or replace function {{schema}}.acquire_lease(
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

create index leases_expiry on {{schema}}.leases (expires_at);

-- json_array_elements splits the array without decoding its strings (a NUL stays as written).
alter table {{schema}}.execution_events no force row level security;
alter table {{schema}}.execution_event_batches no force row level security;
insert into {{schema}}.execution_events (tenant_id, execution_id, id, appended_at, event)
  select b.tenant_id, b.execution_id, i.id, b.appended_at, e.event
    from {{schema}}.execution_event_batches b
    cross join lateral unnest(b.ids) with ordinality as i(id, position)
    join lateral json_array_elements(b.events) with ordinality as e(event, position) on e.position = i.position;
alter table {{schema}}.execution_events force row level security;
drop table {{schema}}.execution_event_batches;
`,
};
