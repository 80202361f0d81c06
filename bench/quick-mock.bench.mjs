// A quick, Agentry-only version of the peers bench's two mock rows (same agent, same calls), for
// iterating on the pipeline's cost: npx -y pnpm@10 run build && node bench/quick-mock.bench.mjs
// Prints µs per call (wall and this process's CPU), best of ROUNDS rounds.
import { pathToFileURL } from 'node:url';
import * as z from 'zod';

// AGENTRY_CORE=<another build's dist/index.js> measures that build instead (before/after).
const { createExecutor, defineAgent } = await import(
  process.env.AGENTRY_CORE ? pathToFileURL(process.env.AGENTRY_CORE).href : '@agentry/core'
);

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CHUNKS = ['The capital ', 'of France ', 'is ', 'Paris.'];
const textAgent = defineAgent({
  id: 'text',
  name: 'Text',
  input: z.object({ question: z.string() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini', maxOutputTokens: 64 },
  prompt: ({ question }) => [
    { role: 'system', content: 'Answer in one sentence.' },
    { role: 'user', content: question },
  ],
  mock: { stream: CHUNKS },
});
const executor = createExecutor({ agents: [textAgent], limits: { maxRetries: 0 } });
const run = { agentId: 'text', input: { question: 'What is the capital of France?' }, tenant: { tenantId: 'b' } };

async function measure(iterations, call) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let index = 0; index < iterations; index += 1) await call();
  const used = process.cpuUsage(cpu);
  return {
    wall: Number(process.hrtime.bigint() - start) / 1000 / iterations,
    cpu: (used.user + used.system) / iterations,
  };
}

const subjects = {
  'execute()': [
    4000,
    async () => {
      const result = await executor.execute(run);
      if (result.status !== 'succeeded') throw new Error(result.error.message);
    },
  ],
  'stream() 4 chunks': [
    1000,
    async () => {
      let deltas = 0;
      for await (const event of executor.stream(run)) if (event.type === 'output-delta') deltas += 1;
      if (deltas !== 4) throw new Error(`${deltas} deltas`);
    },
  ],
};
for (const [name, [iterations, call]] of Object.entries(subjects)) {
  if (process.env.BENCH_ONLY && !name.startsWith(process.env.BENCH_ONLY)) continue;
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) rounds.push(await measure(iterations, call));
  const best = (key) => Math.min(...rounds.map((r) => r[key])).toFixed(1);
  const median = (key) =>
    rounds
      .map((r) => r[key])
      .sort((a, b) => a - b)
      [Math.floor(ROUNDS / 2)].toFixed(1);
  console.log(`${name}: CPU best ${best('cpu')} median ${median('cpu')} µs; wall best ${best('wall')} µs`);
}
