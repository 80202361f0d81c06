// The workload profiled in docs/performance.md ("Where the time goes"): N mock executions of ONE
// tenant through the built dist, so the tenant's history reaches the store's cap and stays there.
// Run: npx -y pnpm@10 run build && npx -y pnpm@10 run profile:execute
//   (node --cpu-prof --cpu-prof-dir=node_modules/.cache/agentry-profile bench/profile-execute.mjs,
//    then node bench/cpu-profile-summary.mjs on the newest profile). PROFILE_RUNS changes N;
//    AGENTRY_CORE=<path to another build's dist/index.js> profiles that build instead (before/after).
//    With --expose-gc it also prints the heap after each quarter of the runs (flat memory check).
import { pathToFileURL } from 'node:url';
import * as z from 'zod';

const { createExecutor, defineAgent } = await import(
  process.env.AGENTRY_CORE ? pathToFileURL(process.env.AGENTRY_CORE).href : '@agentry/core'
);

const RUNS = Number(process.env.PROFILE_RUNS ?? 200_000);
const agent = defineAgent({
  id: 'bench',
  name: 'Bench',
  input: z.object({ text: z.string(), n: z.number().int() }),
  output: z.object({ summary: z.string(), n: z.number() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ text }) => [{ role: 'user', content: text }],
  mock: ({ text, n }) => ({ summary: text.slice(0, 16), n }),
});
const executor = createExecutor({ agents: [agent] });
const tenant = { tenantId: 'bench', userId: 'bench' };
const input = { text: 'Agentry runs agents in mock and live mode.', n: 1 };

const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
const heap = [];
for (let index = 0; index < RUNS; index += 1) {
  const result = await executor.execute({ agentId: 'bench', input: { ...input, n: index }, tenant });
  if (result.status !== 'succeeded') throw new Error(result.error.message);
  if (globalThis.gc && (index + 1) % Math.ceil(RUNS / 4) === 0) {
    globalThis.gc();
    heap.push((process.memoryUsage().heapUsed / 1048576).toFixed(1));
  }
}
const wall = Number(process.hrtime.bigint() - start) / 1000 / RUNS;
const used = process.cpuUsage(cpu);
if (heap.length > 0) console.log(`heap after each quarter of the runs (forced GC): ${heap.join(' / ')} MiB`);
console.log(
  `${RUNS} mock executions of one tenant: ${wall.toFixed(2)} µs/op wall, ${((used.user + used.system) / RUNS).toFixed(2)} µs/op CPU`,
);
