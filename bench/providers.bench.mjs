// Added latency of the live providers: a loopback node:http server answers at once with a canned
// OpenAI / Anthropic body, and we time bare fetch, the official SDK client alone, and the Agentry
// provider through executor.execute(): µs per call, sequential and 50 concurrent.
// Run: npx -y pnpm@10 exec node bench/run.mjs bench/providers.bench.mjs
import http from 'node:http';
import os from 'node:os';
import { createExecutor, defineAgent, silentLogger } from '@agentry/core';
import { anthropicProvider } from '@agentry/core/anthropic';
import { openaiProvider } from '@agentry/core/openai';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import * as z from 'zod';

const SEQUENTIAL_CALLS = Number(process.env.BENCH_CALLS ?? 300);
const CONCURRENT_CALLS = Number(process.env.BENCH_CONCURRENT_CALLS ?? 600);
const CONCURRENCY = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 11);
const KEY = 'sk-bench-0000000000000000';

const openaiBody = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1735689600,
  model: 'gpt-4.1-mini-2025-04-14',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'The capital of France is Paris.', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 14,
    completion_tokens: 8,
    total_tokens: 22,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_bench',
});
const anthropicBody = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5-20251001',
  content: [{ type: 'text', text: 'The capital of France is Paris.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: {
    input_tokens: 14,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: 8,
    service_tier: 'standard',
  },
});

// Answers as soon as the request body has arrived.
const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const body = request.url?.endsWith('/v1/messages') ? anthropicBody : openaiBody;
    const idHeader = request.url?.endsWith('/v1/messages') ? 'request-id' : 'x-request-id';
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      [idHeader]: 'req_bench',
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const base = `http://127.0.0.1:${port}`;

const messages = [
  { role: 'system', content: 'Answer in one sentence.' },
  { role: 'user', content: 'What is the capital of France?' },
];
const agent = (provider, model) =>
  defineAgent({
    id: provider,
    name: provider,
    input: z.object({ question: z.string() }),
    model: { provider, model, maxOutputTokens: 64 },
    prompt: ({ question }) => [messages[0], { role: 'user', content: question }],
  });
const providers = {
  openai: openaiProvider({ apiKey: KEY, baseURL: `${base}/v1` }),
  anthropic: anthropicProvider({ apiKey: KEY, baseURL: base }),
};
const executor = createExecutor({
  agents: [agent('openai', 'gpt-4.1-mini'), agent('anthropic', 'claude-haiku-4-5')],
  providers,
  limits: { concurrencyPerTenant: CONCURRENCY * 2, maxRetries: 0 },
});
const tenant = { tenantId: 'bench', userId: 'bench' };
const question = messages[1].content;

const openaiClient = new OpenAI({ apiKey: KEY, baseURL: `${base}/v1`, maxRetries: 0, logLevel: 'off' });
const anthropicClient = new Anthropic({ apiKey: KEY, baseURL: base, maxRetries: 0, timeout: 600_000, logLevel: 'off' });

const openaiRequest = JSON.stringify({ model: 'gpt-4.1-mini', messages, max_completion_tokens: 64, stream: false });
const anthropicRequest = JSON.stringify({
  model: 'claude-haiku-4-5',
  max_tokens: 64,
  system: messages[0].content,
  messages: [messages[1]],
  stream: false,
});

// The provider adapter alone, called as the executor calls it.
const adapter = (provider, model) => {
  const request = {
    agentId: provider,
    input: { question },
    messages,
    model,
    maxOutputTokens: 64,
    providerOptions: {},
    executionId: 'exe_bench',
    attempt: 1,
  };
  return async () => {
    await providers[provider].execute(request, { signal: new AbortController().signal, tenant, logger: silentLogger });
  };
};

const subjects = {
  openai: {
    fetch: async () => {
      const response = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: openaiRequest,
      });
      await response.json();
    },
    sdk: async () => {
      await openaiClient.chat.completions.create(
        { model: 'gpt-4.1-mini', messages, max_completion_tokens: 64 },
        { maxRetries: 0 },
      );
    },
    adapter: adapter('openai', 'gpt-4.1-mini'),
    agentry: async () => {
      const result = await executor.execute({ agentId: 'openai', input: { question }, mode: 'live', tenant });
      if (result.status !== 'succeeded') throw new Error(result.error.message);
    },
  },
  anthropic: {
    fetch: async () => {
      const response = await fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${KEY}`,
          'anthropic-version': '2026-10-21',
        },
        body: anthropicRequest,
      });
      await response.json();
    },
    sdk: async () => {
      await anthropicClient.messages.create(
        { model: 'claude-haiku-4-5', max_tokens: 64, system: messages[0].content, messages: [messages[1]] },
        { maxRetries: 0 },
      );
    },
    adapter: adapter('anthropic', 'claude-haiku-4-5'),
    agentry: async () => {
      const result = await executor.execute({ agentId: 'anthropic', input: { question }, mode: 'live', tenant });
      if (result.status !== 'succeeded') throw new Error(result.error.message);
    },
  },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function sequential(body) {
  const start = process.hrtime.bigint();
  for (let index = 0; index < SEQUENTIAL_CALLS; index += 1) await body();
  return Number(process.hrtime.bigint() - start) / 1000 / SEQUENTIAL_CALLS;
}

async function concurrent(body) {
  let next = 0;
  const worker = async () => {
    while (next < CONCURRENT_CALLS) {
      next += 1;
      await body();
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return Number(process.hrtime.bigint() - start) / 1000 / CONCURRENT_CALLS;
}

const results = {};
for (const [provider, bodies] of Object.entries(subjects)) {
  results[provider] = {};
  // Warm up connections, JIT and the SDKs' lazy setup.
  for (const body of Object.values(bodies)) for (let index = 0; index < 300; index += 1) await body();
  for (const [mode, measure] of [
    ['sequential', sequential],
    ['concurrent', concurrent],
  ]) {
    // Interleave the subjects run by run so drift on a shared machine hits them alike.
    const samples = { fetch: [], sdk: [], adapter: [], agentry: [] };
    for (let run = 0; run < RUNS; run += 1) {
      for (const [name, body] of Object.entries(bodies)) samples[name].push(await measure(body));
    }
    results[provider][mode] = Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [name, median(values)]),
    );
    // Paired per run (same moment, same machine load): steadier than a difference of medians.
    results[provider][mode].added = median(samples.agentry.map((value, run) => value - samples.sdk[run]));
  }
}

server.close();

// The executor's own cost in live mode, without I/O noise: a provider that answers at once.
const instant = {
  specificationVersion: 'v1',
  id: 'instant',
  async execute(request) {
    return {
      text: 'The capital of France is Paris.',
      usage: { inputTokens: 14, outputTokens: 8 },
      finishReason: 'stop',
      model: request.model,
    };
  },
};
const instantExecutor = createExecutor({
  agents: [agent('instant', 'gpt-4.1-mini')],
  providers: { instant },
  limits: { concurrencyPerTenant: CONCURRENCY * 2, maxRetries: 0 },
});
const instantRequest = {
  agentId: 'instant',
  input: { question },
  messages,
  model: 'gpt-4.1-mini',
  providerOptions: {},
  executionId: 'exe_bench',
  attempt: 1,
};
const instantContext = { signal: new AbortController().signal, tenant, logger: silentLogger };
const pipeline = { direct: [], executor: [] };
for (let run = 0; run < RUNS; run += 1) {
  const calls = 5000;
  let start = process.hrtime.bigint();
  for (let index = 0; index < calls; index += 1) await instant.execute(instantRequest, instantContext);
  pipeline.direct.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  start = process.hrtime.bigint();
  for (let index = 0; index < calls; index += 1) {
    await instantExecutor.execute({ agentId: 'instant', input: { question }, mode: 'live', tenant });
  }
  pipeline.executor.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
}

const format = (value) => value.toFixed(1);
console.log(
  `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.arch()}, load average ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ')}`,
);
console.log(
  `median of ${RUNS} runs; sequential: ${SEQUENTIAL_CALLS} calls one at a time; concurrent: ${CONCURRENT_CALLS} calls, ${CONCURRENCY} in flight (µs = wall time / calls)`,
);
console.log('');
console.log(
  '| provider | mode | bare fetch | SDK client alone | provider adapter alone | Agentry via executor | Agentry over SDK (median of paired runs) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [provider, modes] of Object.entries(results)) {
  for (const [mode, figures] of Object.entries(modes)) {
    const added = figures.added;
    const percent = (added / figures.sdk) * 100;
    console.log(
      `| ${provider} | ${mode} | ${format(figures.fetch)} µs | ${format(figures.sdk)} µs | ${format(figures.adapter)} µs | ${format(figures.agentry)} µs | ${added >= 0 ? '+' : ''}${format(added)} µs (${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%) |`,
    );
  }
}
console.log('');
console.log(
  `Executor pipeline in live mode without I/O (a provider answering at once): ${format(median(pipeline.executor) - median(pipeline.direct))} µs per execution (${format(median(pipeline.executor))} µs through executor.execute() vs ${format(median(pipeline.direct))} µs calling the provider).`,
);
