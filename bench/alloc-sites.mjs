// Where a run's bytes are allocated: V8's sampling heap profiler (collected objects included, so
// this is churn, not what is retained) over 20,000 mock runs after 20,000 of warm-up, printed as
// bytes per run by allocating function and its two callers, largest first. Against the built
// dist. Run: npx -y pnpm@10 run build && node bench/alloc-sites.mjs
//   AGENT=tools (default: 3 steps, 2 trivial tools, the peer bench's tools group) or AGENT=plain
//   (one step, a fixed answer) or AGENT=text (the peer bench's text agent, four chunks);
//   CALL=stream reads stream() instead of execute(); TOP=<n> rows (45). Sampled every 64 bytes:
//   figures within ~5 %.
import { Session } from 'node:inspector/promises';
import { createExecutor, defineAgent, defineTool } from '@agentry/core';
import * as z from 'zod';
import { TENANT as tenant, textAgent, toolsAgent } from './fixtures.mjs';

const tools = toolsAgent({ defineAgent, defineTool });
const plain = defineAgent({
  id: 'plain',
  name: 'Plain',
  input: z.object({ question: z.string() }),
  prompt: ({ question }) => question,
  mock: () => 'The capital of France is Paris.',
});
const executor = createExecutor({ agents: [tools, plain, textAgent({ defineAgent })], limits: { maxRetries: 0 } });
const agentId = process.env.AGENT ?? 'tools';
const call =
  process.env.CALL === 'stream'
    ? async () => {
        for await (const _event of executor.stream({ agentId, input: { question: 'Q?' }, tenant }));
      }
    : () => executor.execute({ agentId, input: { question: 'Q?' }, tenant });
for (let i = 0; i < 20000; i++) await call();
const s = new Session();
s.connect();
await s.post('HeapProfiler.startSampling', {
  samplingInterval: 64,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const N = 20000;
for (let i = 0; i < N; i++) await call();
const { profile } = await s.post('HeapProfiler.stopSampling');
const self = new Map();
let total = 0;
const walk = (n, stack) => {
  const name = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber + 1}`;
  total += n.selfSize;
  const key = `${name} <- ${stack.slice(-2).reverse().join(' <- ')}`;
  self.set(key, (self.get(key) ?? 0) + n.selfSize);
  for (const c of n.children) walk(c, [...stack, name]);
};
walk(profile.head, []);
console.log(`${agentId}: ${(total / N / 1024).toFixed(1)} kB sampled per run`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 45)))
  console.log((v / N).toFixed(0).padStart(6), 'B', k);
