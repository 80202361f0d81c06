// The executor's hot path, two builds side by side in ONE process (interleaved rounds, so load on a
// shared machine hits both alike): a mock tool run of 3 steps with 2 trivial tools (the peer
// bench's tools group), a plain 1-step mock execute() and a mock stream() of four chunks.
// For each: this process's CPU µs per run (median and 25th percentile of the rounds, and the best
// round; on a loaded machine the low figures are the steadier ones), the added CPU per step
// ((tools − plain) / 2), and the bytes allocated per run (heap growth over 200 runs inside a young
// generation large enough that no GC runs meanwhile; median of 7).
// Run: npx -y pnpm@10 run build && node --expose-gc --max-semi-space-size=128 bench/hot-path.bench.mjs
// AGENTRY_BASE=<another build's dist/index.js> adds that build as "before" (e.g. a copy of main's
// packages/core/dist kept inside packages/core/, so it resolves the same zod). BENCH_ROUNDS (24)
// and BENCH_RUNS (1000 runs per round) change the sampling.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { TENANT as tenant, textAgent, toolsAgent } from './fixtures.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 24);
const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const builds = { after: await import('@agentry/core') };
if (process.env.AGENTRY_BASE) builds.before = await import(pathToFileURL(process.env.AGENTRY_BASE).href);

function subjectsOf({ createExecutor, defineAgent, defineTool }) {
  const tools = toolsAgent({ defineAgent, defineTool });
  const text = textAgent({ defineAgent });
  const executor = createExecutor({ agents: [tools, text], limits: { maxRetries: 0 } });
  const input = { question: 'What is the capital of France?' };
  return {
    'tools, 3 steps': async () => {
      const result = await executor.execute({ agentId: 'tools', input, tenant });
      if (result.status !== 'succeeded' || result.steps.length !== 3) throw new Error('the tools run failed');
    },
    'execute(), 1 step': async () => {
      const result = await executor.execute({ agentId: 'text', input, tenant });
      if (result.status !== 'succeeded') throw new Error(result.error.message);
    },
    'stream(), 4 chunks': async () => {
      let deltas = 0;
      for await (const event of executor.stream({ agentId: 'text', input, tenant }))
        if (event.type === 'output-delta') deltas += 1;
      if (deltas !== 4) throw new Error(`${deltas} deltas, not 4`);
    },
  };
}

const subjects = {};
for (const [build, core] of Object.entries(builds))
  for (const [name, call] of Object.entries(subjectsOf(core))) subjects[`${build}: ${name}`] = call;
const names = Object.keys(subjects);

async function cpuPerRun(call) {
  const cpu = process.cpuUsage();
  for (let index = 0; index < RUNS; index += 1) await call();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / RUNS;
}

async function bytesPerRun(call) {
  const samples = [];
  for (let round = 0; round < 7; round += 1) {
    globalThis.gc?.();
    const before = v8.getHeapStatistics().used_heap_size;
    for (let index = 0; index < 200; index += 1) await call();
    samples.push((v8.getHeapStatistics().used_heap_size - before) / 200);
  }
  return samples.sort((a, b) => a - b)[3];
}

const at = (sorted, share) => sorted[Math.floor((sorted.length - 1) * share)];
for (const name of names) await cpuPerRun(subjects[name]); // warm-up and check
const cpu = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (let offset = 0; offset < names.length; offset += 1) {
    const name = names[(round + offset) % names.length];
    cpu[name].push(await cpuPerRun(subjects[name]));
  }
}
const bytes = {};
for (const name of names) bytes[name] = await bytesPerRun(subjects[name]);

console.log('| build: subject | CPU µs/run, median | p25 | best | kB allocated/run |');
console.log('| --- | ---: | ---: | ---: | ---: |');
const figures = {};
for (const name of names) {
  const sorted = [...cpu[name]].sort((a, b) => a - b);
  figures[name] = { median: at(sorted, 0.5), p25: at(sorted, 0.25), best: sorted[0] };
  const { median, p25, best } = figures[name];
  console.log(
    `| ${name} | ${median.toFixed(1)} | ${p25.toFixed(1)} | ${best.toFixed(1)} | ${(bytes[name] / 1024).toFixed(1)} |`,
  );
}
for (const build of Object.keys(builds)) {
  const step = (key) =>
    ((figures[`${build}: tools, 3 steps`][key] - figures[`${build}: execute(), 1 step`][key]) / 2).toFixed(1);
  console.log(`${build}: CPU added per step over a plain run: median ${step('median')} µs, p25 ${step('p25')} µs`);
}
console.log(
  `${ROUNDS} rounds × ${RUNS} runs; ${new Date().toISOString()}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ` +
    `Node ${process.version}; load average ${os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
);
