// What a finished run leaves on the heap: two heap snapshots of the same executor, after 200 and
// after 700 mock runs of the peer bench's text agent (both under the default retention of 1,000
// records a tenant and 1,000 finished event logs), diffed by V8 node type and constructor, per
// run. Every object here is copied by each young-generation collection while it is young, which
// is what the retention costs a run (docs/performance.md). Against the built dist.
// Run: npx -y pnpm@10 run build && node --expose-gc bench/retained.mjs
//   CALL=stream reads stream() instead of execute(); AGENTRY_CORE=<another build's dist/index.js>
//   measures that build.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { QUESTION, TENANT as tenant, textAgent } from './fixtures.mjs';

if (!globalThis.gc) throw new Error('Run with node --expose-gc.');
const core = await import(process.env.AGENTRY_CORE ? pathToFileURL(process.env.AGENTRY_CORE).href : '@agentry/core');
const executor = core.createExecutor({ agents: [textAgent(core)], limits: { maxRetries: 0 } });
const run = { agentId: 'text', input: { question: QUESTION }, tenant };
const streaming = process.env.CALL === 'stream';
const RUNS = 500;

async function once() {
  if (streaming) {
    for await (const event of executor.stream(run))
      if (event.type === 'execution-error') throw new Error(event.error.message);
  } else {
    const result = await executor.execute(run);
    if (result.status !== 'succeeded') throw new Error(result.error.message);
  }
}

/** Objects and bytes in a snapshot by node type (and constructor for objects). */
function census(file) {
  const { snapshot, nodes, strings } = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field));
  const counts = new Map();
  for (let index = 0; index < nodes.length; index += fields.length) {
    const kind = types[nodes[index + type]];
    const key = kind === 'object' ? `object ${strings[nodes[index + name]].slice(0, 40)}` : kind;
    const entry = counts.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += nodes[index + size];
    counts.set(key, entry);
  }
  return counts;
}

const directory = mkdtempSync(path.join(os.tmpdir(), 'agentry-retained-'));
try {
  for (let index = 0; index < 200; index += 1) await once();
  globalThis.gc();
  const before = census(v8.writeHeapSnapshot(path.join(directory, 'before.heapsnapshot')));
  for (let index = 0; index < RUNS; index += 1) await once();
  globalThis.gc();
  const after = census(v8.writeHeapSnapshot(path.join(directory, 'after.heapsnapshot')));
  const rows = [];
  let objects = 0;
  let bytes = 0;
  for (const [key, { count, bytes: size }] of after) {
    const base = before.get(key) ?? { count: 0, bytes: 0 };
    const perRun = (count - base.count) / RUNS;
    const bytesPerRun = (size - base.bytes) / RUNS;
    objects += perRun;
    bytes += bytesPerRun;
    if (Math.abs(perRun) >= 0.5) rows.push({ key, perRun, bytesPerRun });
  }
  rows.sort((a, b) => b.perRun - a.perRun);
  console.log(`| kept per ${streaming ? 'stream()' : 'execute()'} | objects | bytes |\n| --- | ---: | ---: |`);
  for (const row of rows) console.log(`| ${row.key} | ${row.perRun.toFixed(1)} | ${row.bytesPerRun.toFixed(0)} |`);
  console.log(`| all | ${objects.toFixed(1)} | ${bytes.toFixed(0)} |`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
