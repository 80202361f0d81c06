// Profiles N tape replays at speed 0 (the peer bench's "mock vs tape replay" agent) against N mock
// runs of the same agent, through the built dist: where a replayed call spends what a mock call
// does not. Run: npx -y pnpm@10 run build && node --cpu-prof --cpu-prof-dir=/tmp/prof-replay
//   bench/profile-replay.mjs, then node bench/cpu-profile-summary.mjs /tmp/prof-replay.
//   PROFILE_RUNS changes N; PROFILE_MODE=mock profiles the mock runs alone.
import { createExecutor, defineAgent } from '@agentry/core';
import { createMemoryTapeStore, recordTapes, tapeProvider } from '@agentry/core/tapes';
import { QUESTION, recordedLive, TENANT as tenant, textAgent } from './fixtures.mjs';

const RUNS = Number(process.env.PROFILE_RUNS ?? 100_000);
const MODE = process.env.PROFILE_MODE ?? 'live';
const core = { createExecutor, defineAgent };
const agent = textAgent(core);
const store = createMemoryTapeStore();
const run = { agentId: 'text', input: { question: QUESTION }, tenant, mode: 'live' };
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
