// The peer bench's mock text workload, profiled: N `stream()` (four chunks) or `execute()` runs of
// the same text agent (bench/fixtures.mjs) through the built dist.
// Run: npx -y pnpm@10 run build && node --cpu-prof --cpu-prof-dir=node_modules/.cache/agentry-profile-text \
//   bench/profile-text.mjs && node bench/cpu-profile-summary.mjs node_modules/.cache/agentry-profile-text
// PROFILE_CALL=execute profiles execute() instead of stream(); PROFILE_RUNS changes N (100,000);
// AGENTRY_CORE=<another build's dist/index.js> profiles that build. With --expose-gc it also
// prints the heap after each quarter of the runs (flat memory check).
import { pathToFileURL } from 'node:url';
import { QUESTION, TENANT as tenant, textAgent } from './fixtures.mjs';

const core = await import(process.env.AGENTRY_CORE ? pathToFileURL(process.env.AGENTRY_CORE).href : '@agentry/core');
const RUNS = Number(process.env.PROFILE_RUNS ?? 100_000);
const streaming = (process.env.PROFILE_CALL ?? 'stream') === 'stream';
const executor = core.createExecutor({ agents: [textAgent(core)], limits: { maxRetries: 0 } });
const run = { agentId: 'text', input: { question: QUESTION }, tenant };
const body = streaming
  ? async () => {
      let deltas = 0;
      for await (const event of executor.stream(run)) {
        if (event.type === 'output-delta') deltas += 1;
        else if (event.type === 'execution-error') throw new Error(event.error.message);
      }
      if (deltas !== 4) throw new Error(`streamed ${deltas} chunks, not 4`);
    }
  : async () => {
      const result = await executor.execute(run);
      if (result.status !== 'succeeded') throw new Error(result.error.message);
    };

const heap = [];
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
for (let index = 0; index < RUNS; index += 1) {
  await body();
  if (globalThis.gc && (index + 1) % Math.ceil(RUNS / 4) === 0) {
    globalThis.gc();
    heap.push((process.memoryUsage().heapUsed / 1048576).toFixed(1));
  }
}
const wall = Number(process.hrtime.bigint() - start) / 1000 / RUNS;
const used = process.cpuUsage(cpu);
if (heap.length > 0) console.log(`heap after each quarter of the runs (forced GC): ${heap.join(' / ')} MiB`);
console.log(
  `${RUNS} mock ${streaming ? 'stream()' : 'execute()'} runs of the text agent: ${wall.toFixed(2)} µs/op wall, ${((used.user + used.system) / RUNS).toFixed(2)} µs/op CPU`,
);
