// The workload of the peer bench's tools group, profiled: N mock runs of 3 steps (tool a,
// tool b, answer) with 2 trivial tools through the built dist.
// Run: npx -y pnpm@10 run build && node --cpu-prof --cpu-prof-dir=node_modules/.cache/agentry-profile-tools \
//   bench/profile-tools.mjs && node bench/cpu-profile-summary.mjs node_modules/.cache/agentry-profile-tools
// PROFILE_RUNS changes N; PROFILE_STREAM=1 profiles stream() of a 4-chunk text agent instead.
import { createExecutor, defineAgent, defineTool } from '@agentry/core';
import * as z from 'zod';
import { CHUNKS, TENANT as tenant, toolsAgent } from './fixtures.mjs';

const RUNS = Number(process.env.PROFILE_RUNS ?? 50_000);
const tools = toolsAgent({ defineAgent, defineTool });
const text = defineAgent({
  id: 'text',
  name: 'Text',
  input: z.object({ question: z.string() }),
  prompt: ({ question }) => question,
  mock: { stream: CHUNKS },
});
const executor = createExecutor({ agents: [tools, text], limits: { maxRetries: 0 } });
const streaming = process.env.PROFILE_STREAM === '1';
const body = streaming
  ? async () => {
      for await (const event of executor.stream({ agentId: 'text', input: { question: 'Q?' }, tenant })) {
        if (event.type === 'execution-error') throw new Error(event.error.message);
      }
    }
  : async () => {
      const result = await executor.execute({ agentId: 'tools', input: { question: 'Q?' }, tenant });
      if (result.status !== 'succeeded' || result.steps.length !== 3) throw new Error('the tools run failed');
    };

const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
for (let index = 0; index < RUNS; index += 1) await body();
const wall = Number(process.hrtime.bigint() - start) / 1000 / RUNS;
const used = process.cpuUsage(cpu);
console.log(
  `${RUNS} ${streaming ? 'mock stream() runs' : 'mock 3-step tool runs'}: ${wall.toFixed(2)} µs/op wall, ${((used.user + used.system) / RUNS).toFixed(2)} µs/op CPU`,
);
