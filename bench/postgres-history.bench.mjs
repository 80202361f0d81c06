// History reads of @agentry/postgres at scale: one tenant with 1M records (seeded with
// generate_series, next to 200k records of other tenants), read as the non-privileged app role
// through createPostgresStore: the newest page of 20, a page deep in the history (by cursor),
// a page filtered by agent, and one record by id. Prints the latencies and the query plans.
// Needs the PostgreSQL server of .ci/run (roles agentry_test_app, database agentry_test).
// Run: node bench/run.mjs bench/postgres-history.bench.mjs [--rows 1000000] [--iterations 500]
import { createPostgresStore, migrate } from '@agentry/postgres';
import pg from 'pg';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(args[index + 1]);
};
const ROWS = option('rows', 1_000_000);
const ITERATIONS = option('iterations', 500);
const OTHERS = Math.round(ROWS / 5);
const SCHEMA = 'bench_history';
const TENANT = 'bench_big';
const host = process.env.AGENTRY_BENCH_POSTGRES_HOST ?? '127.0.0.1:5432';

const owner = new pg.Pool({ connectionString: `postgres://postgres@${host}/agentry_test`, max: 2 });
const app = new pg.Pool({
  connectionString: `postgres://agentry_test_app:agentry_test_app@${host}/agentry_test`,
  max: 2,
});

async function seed() {
  const existing = await owner
    .query(`select latest from ${SCHEMA}.tenants where tenant_id = $1`, [TENANT])
    .catch(() => ({ rows: [] }));
  if (Number(existing.rows[0]?.latest) === ROWS) return false;
  const seeded = await owner
    .query(`select count(*)::int as n from ${SCHEMA}.executions where tenant_id = $1`, [TENANT])
    .catch(() => ({ rows: [] }));
  if (seeded.rows[0]?.n === ROWS) {
    await seedTenants();
    return true;
  }
  await owner.query(`drop schema if exists ${SCHEMA} cascade`);
  await migrate({ pool: owner, schema: SCHEMA, appRole: 'agentry_test_app' });
  const started = performance.now();
  // The record is a realistic finished mock run (~450 bytes of JSON).
  const recordSql = (tenant) => `json_build_object(
      'id', 'exe_' || g, 'agentId', 'agent_' || (g % 4), 'tenantId', ${tenant}, 'userId', 'user_' || (g % 50),
      'mode', 'mock', 'requestedMode', 'mock', 'status', 'succeeded',
      'input', json_build_object('message', 'message number ' || g), 'output', 'output number ' || g,
      'startedAt', to_char(timestamptz '2026-01-01' + g * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'finishedAt', to_char(timestamptz '2026-01-01' + g * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'metrics', json_build_object('durationMs', 3, 'timeToFirstOutputMs', 1, 'inputTokens', 12, 'outputTokens', 30,
        'costUsd', null, 'provider', 'mock', 'model', 'mock', 'attempts', 1, 'simulated', true))`;
  await owner.query(
    `insert into ${SCHEMA}.executions (tenant_id, id, sequence, agent_id, status, started_at, finished_at, record)
     select '${TENANT}', 'exe_' || g, g, 'agent_' || (g % 4), 'succeeded',
            timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01' + g * interval '1 second',
            ${recordSql(`'${TENANT}'`)}
       from generate_series(1, $1::int) g`,
    [ROWS],
  );
  await owner.query(
    `insert into ${SCHEMA}.executions (tenant_id, id, sequence, agent_id, status, started_at, finished_at, record)
     select 'other_' || (g % 100), 'exe_' || g, g / 100 + 1, 'agent_' || (g % 4), 'succeeded',
            timestamptz '2026-01-01' + g * interval '1 second', timestamptz '2026-01-01' + g * interval '1 second',
            ${recordSql(`'other_' || (g % 100)`)}
       from generate_series(0, $1::int - 1) g`,
    [OTHERS],
  );
  await seedTenants();
  console.log(`Seeded ${ROWS} + ${OTHERS} records in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

async function seedTenants() {
  await owner.query(
    `insert into ${SCHEMA}.tenants (tenant_id, latest)
     select $1::text, $2::bigint union all select 'other_' || t, ($3::int / 100)::bigint from generate_series(0, 99) t
     on conflict (tenant_id) do update set latest = excluded.latest`,
    [TENANT, ROWS, OTHERS],
  );
  await owner.query(`analyze ${SCHEMA}.executions; analyze ${SCHEMA}.tenants`);
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return `p50 ${at(0.5).toFixed(2)} ms · p99 ${at(0.99).toFixed(2)} ms · mean ${mean.toFixed(2)} ms`;
}

async function time(name, work) {
  for (let index = 0; index < 20; index += 1) await work(index);
  const samples = [];
  for (let index = 0; index < ITERATIONS; index += 1) {
    const started = performance.now();
    await work(index);
    samples.push(performance.now() - started);
  }
  console.log(`${name.padEnd(44)} ${summary(samples)}`);
}

async function plan(title, sql, values) {
  const client = await app.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('agentry.tenant_id', $1, true)`, [TENANT]);
    const { rows } = await client.query(`explain (analyze, buffers, costs off) ${sql}`, values);
    await client.query('commit');
    console.log(`\n-- ${title}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}`);
  } finally {
    client.release();
  }
}

await seed();
const store = createPostgresStore({ pool: app, schema: SCHEMA });
await store.ready();
const deep = (await store.list(TENANT, { limit: 20 })).nextCursor;
let cursor = deep;
for (let page = 0; page < 5; page += 1) cursor = (await store.list(TENANT, { limit: 100, cursor })).nextCursor;

console.log(
  `\nHistory of a tenant with ${ROWS} records (${OTHERS} more of 100 other tenants), ${ITERATIONS} reads each, as the app role:`,
);
await time('baseline: select 1 (one round trip)', () => app.query('select 1'));
await time('newest page of 20', () => store.list(TENANT, { limit: 20 }));
await time('page of 20 after a cursor (500 deep)', () => store.list(TENANT, { limit: 20, cursor }));
await time('newest page of 20 of one agent', () => store.list(TENANT, { limit: 20, agentId: 'agent_2' }));
await time('one record by id', (index) => store.get(TENANT, `exe_${ROWS - index}`));

const page = `select e.sequence, e.record from ${SCHEMA}.executions e where e.tenant_id = $1 and e.sequence < $2 order by e.sequence desc limit 21`;
await plan('newest page of 20 (the query inside list_executions)', page, [TENANT, Number.MAX_SAFE_INTEGER]);
await plan('page after a cursor', page, [TENANT, ROWS - 500]);
await plan(
  'page of one agent',
  `select e.sequence, e.record from ${SCHEMA}.executions e where e.tenant_id = $1 and e.agent_id = $2 and e.sequence < $3 order by e.sequence desc limit 21`,
  [TENANT, 'agent_2', Number.MAX_SAFE_INTEGER],
);
await plan(
  'the same page with the tenant filter forgotten (row-level security adds it)',
  `select e.sequence, e.record from ${SCHEMA}.executions e order by e.sequence desc limit 21`,
  [],
);
await Promise.all([owner.end(), app.end()]);
