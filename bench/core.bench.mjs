// Pipeline overhead of execute() in mock mode, against calling the agent's mock directly.
// Run: npx -y pnpm@10 run bench:core   (builds the packages first; uses dist, like a user would)
import os from 'node:os';
import { createExecutor, defineAgent } from '@agentry/core';
import * as z from 'zod';

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

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function timeIt(label, iterations, runs, body) {
  const perCall = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) await body(index);
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  const value = median(perCall);
  console.log(`${label.padEnd(44)} ${value.toFixed(2).padStart(8)} µs/op (median of ${runs} runs × ${iterations})`);
  return value;
}

const direct = await timeIt('agent.mock(input) directly', 20_000, 7, (index) =>
  agent.mock({ ...input, n: index }, { seed: 0, random: Math.random, pick: (items) => items[0], tenant }),
);
const execute = await timeIt('executor.execute() mock, zero latency', 20_000, 7, async (index) => {
  const result = await executor.execute({ agentId: 'bench', input: { ...input, n: index }, tenant });
  if (result.status !== 'succeeded') throw new Error(result.error.message);
});
const stream = await timeIt('executor.stream() mock, zero latency', 5_000, 7, async (index) => {
  for await (const event of executor.stream({ agentId: 'bench', input: { ...input, n: index }, tenant })) {
    if (event.type === 'execution-error') throw new Error(event.error.message);
  }
});

// Memory: history is bounded per tenant, so heap must level off however many runs go through.
const heap = [];
for (let round = 1; round <= 4; round += 1) {
  for (let index = 0; index < 50_000; index += 1) {
    await executor.execute({ agentId: 'bench', input: { ...input, n: index }, tenant: { tenantId: `t${index % 10}` } });
  }
  globalThis.gc?.();
  heap.push(`${round * 50}k: ${(process.memoryUsage().heapUsed / 1048576).toFixed(1)} MiB`);
}

console.log('');
console.log(
  `pipeline overhead (execute − direct): ${(execute - direct).toFixed(2)} µs/op; ratio ${(execute / direct).toFixed(1)}×`,
);
console.log(`stream overhead (stream − direct):    ${(stream - direct).toFixed(2)} µs/op`);
console.log(`heap after N executions across 10 tenants (history bounded at 1000 per tenant): ${heap.join(', ')}`);
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${os.platform()} ${os.arch()}`,
);
