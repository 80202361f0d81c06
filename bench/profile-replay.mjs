// Profiles N tape replays at speed 0 (the peer bench's "mock vs tape replay" agent) against N mock
// runs of the same agent, through the built dist: where a replayed call spends what a mock call
// does not. Run: npx -y pnpm@10 run build && node --cpu-prof --cpu-prof-dir=/tmp/prof-replay
//   bench/profile-replay.mjs, then node bench/cpu-profile-summary.mjs /tmp/prof-replay.
//   PROFILE_RUNS changes N; PROFILE_MODE=mock profiles the mock runs alone.
import { createExecutor, defineAgent } from '@agentry/core';
import { createMemoryTapeStore, recordTapes, tapeProvider } from '@agentry/core/tapes';
import * as z from 'zod';

const RUNS = Number(process.env.PROFILE_RUNS ?? 100_000);
const MODE = process.env.PROFILE_MODE ?? 'live';
const CHUNKS = ['The capital ', 'of France ', 'is ', 'Paris.'];
const TEXT = CHUNKS.join('');
const tenant = { tenantId: 'bench', userId: 'bench' };
const agent = defineAgent({
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
const recordedLive = {
  specificationVersion: 'v1',
  id: 'openai',
  async execute() {
    return { text: TEXT, usage: { inputTokens: 14, outputTokens: 8 }, finishReason: 'stop' };
  },
  async *stream() {
    for (const delta of CHUNKS) yield { type: 'text-delta', delta };
    yield { type: 'usage', usage: { inputTokens: 14, outputTokens: 8 } };
    yield { type: 'finish', finishReason: 'stop' };
  },
};
const store = createMemoryTapeStore();
const run = { agentId: 'text', input: { question: 'What is the capital of France?' }, tenant, mode: 'live' };
await createExecutor({ agents: [agent], providers: { openai: recordTapes(recordedLive, { store }) } }).execute(run);
const executor = createExecutor({
  agents: [agent],
  providers: { openai: tapeProvider({ store }, { speed: 0 }) },
  limits: { maxRetries: 0 },
});

const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
for (let index = 0; index < RUNS; index += 1) {
  const result = await executor.execute({ ...run, mode: MODE });
  if (result.status !== 'succeeded') throw new Error(result.error.message);
}
const wall = Number(process.hrtime.bigint() - start) / 1000 / RUNS;
const used = process.cpuUsage(cpu);
console.log(
  `${RUNS} ${MODE === 'live' ? 'tape replays' : 'mock runs'}: ${wall.toFixed(2)} µs/op wall, ${((used.user + used.system) / RUNS).toFixed(2)} µs/op CPU`,
);
