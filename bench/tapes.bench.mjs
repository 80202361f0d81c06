// Tapes: replay at speed 0 against a plain mock run, per call, through the whole executor
// pipeline (the target: replay ≤ 2× mock), in interleaved rounds; and the key computation
// (normalize + redact + canonical JSON + SHA-256) per request size (the target: linear).
// Run: npx -y pnpm@10 run bench:tapes (node bench/run.mjs bench/tapes.bench.mjs). BENCH_ROUNDS changes the rounds.
import { createExecutor, createRedactor, defineAgent } from '@agentry/core';
import {
  createMemoryTapeStore,
  DEFAULT_TAPE_KEY_FIELDS,
  recordTapes,
  tapeKey,
  tapeProvider,
  toTapeRequest,
} from '@agentry/core/tapes';
import * as z from 'zod';
import { requestKeyText } from '../packages/core/src/tapes/tape-key';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CHUNKS = ['The capital ', 'of France ', 'is ', 'Paris.'];
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

// A "live" provider that answers like the mock (four chunks and usage), recorded once.
const live = {
  specificationVersion: 'v1',
  id: 'openai',
  async execute() {
    return { text: CHUNKS.join(''), usage: { inputTokens: 14, outputTokens: 8 }, finishReason: 'stop' };
  },
  async *stream() {
    for (const delta of CHUNKS) yield { type: 'text-delta', delta };
    yield { type: 'usage', usage: { inputTokens: 14, outputTokens: 8 } };
    yield { type: 'finish', finishReason: 'stop' };
  },
};
const store = createMemoryTapeStore();
const run = { agentId: 'text', input: { question: 'What is the capital of France?' }, tenant };
await createExecutor({ agents: [agent], providers: { openai: recordTapes(live, { store }) } }).execute({
  ...run,
  mode: 'live',
});

const executor = createExecutor({
  agents: [agent],
  providers: { openai: tapeProvider({ store }, { speed: 0 }) },
  limits: { maxRetries: 0 },
});

async function check(result) {
  if (result.status !== 'succeeded' || result.output !== CHUNKS.join('')) throw new Error(JSON.stringify(result.error));
}
const subjects = {
  'mock execute()': async () => check(await executor.execute({ ...run, mode: 'mock' })),
  'tape replay execute() (speed 0)': async () => check(await executor.execute({ ...run, mode: 'live' })),
  'mock stream()': async () => {
    for await (const event of executor.stream({ ...run, mode: 'mock' }))
      if (event.type === 'execution-error') throw new Error(event.error.message);
  },
  'tape replay stream() (speed 0)': async () => {
    for await (const event of executor.stream({ ...run, mode: 'live' }))
      if (event.type === 'execution-error') throw new Error(event.error.message);
  },
};

async function measure(body, iterations) {
  const start = process.hrtime.bigint();
  for (let index = 0; index < iterations; index += 1) await body();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}
const ITERATIONS = 2_000;
const names = Object.keys(subjects);
for (const name of names) await measure(subjects[name], ITERATIONS / 2);
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (let offset = 0; offset < names.length; offset += 1) {
    const name = names[(round + offset) % names.length];
    samples[name].push(await measure(subjects[name], ITERATIONS));
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`tapes: replay vs mock, ${ROUNDS} rounds × ${ITERATIONS} calls, median µs per call`);
for (const name of names) console.log(`  ${name.padEnd(34)} ${median(samples[name]).toFixed(1).padStart(8)} µs`);
const ratio = (a, b) => (median(samples[a]) / median(samples[b])).toFixed(2);
console.log(`  replay/mock execute: ${ratio('tape replay execute() (speed 0)', 'mock execute()')}×`);
console.log(`  replay/mock stream:  ${ratio('tape replay stream() (speed 0)', 'mock stream()')}×`);

// Key computation by request size.
const redactor = createRedactor();
console.log(
  '\nper request size, median: normalize + redact (the log redactor), then the key (canonical JSON + SHA-256)',
);
for (const kilobytes of [1, 10, 100, 1000]) {
  const words = 'lorem ipsum dolor sit amet consectetur '
    .repeat(Math.ceil((kilobytes * 1024) / 40))
    .slice(0, kilobytes * 1024);
  const request = {
    agentId: 'text',
    input: { question: 'q' },
    messages: [
      { role: 'system', content: 'Answer.' },
      { role: 'user', content: words },
    ],
    model: 'gpt-4.1-mini',
    executionId: 'x',
    attempt: 1,
    providerOptions: {},
  };
  const iterations = Math.max(5, Math.round(2000 / kilobytes));
  const time = async (body) => {
    const times = [];
    for (let round = 0; round < 7; round += 1) {
      const start = process.hrtime.bigint();
      for (let index = 0; index < iterations; index += 1) await body();
      times.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
    }
    return median(times);
  };
  const normalized = toTapeRequest(request, redactor);
  const redact = await time(() => toTapeRequest(request, redactor));
  const key = await time(() => tapeKey(normalized, ['messages', 'model']));
  // What a replayed call computes on a hit: the key text written from the request while redacting.
  const onePass = await time(() => requestKeyText(request, redactor, DEFAULT_TAPE_KEY_FIELDS));
  const show = (value) => `${value.toFixed(1).padStart(9)} µs (${(value / kilobytes).toFixed(1).padStart(5)} µs/KB)`;
  console.log(
    `  ${String(kilobytes).padStart(5)} KB  redact ${show(redact)}   key ${show(key)}   replay's one-pass key text ${show(onePass)}`,
  );
}
