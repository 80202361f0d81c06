// Agentry side by side with its peers, in ONE process, in interleaved rounds (each round runs
// every subject once, in a rotating order, so drift on a shared machine hits them alike):
//   mock   Agentry executor.execute() / executor.stream() (full pipeline: validation, tenant
//          guard, limits, mock provider, metrics, store, log) vs the Vercel AI SDK 7
//          generateText / streamText on MockLanguageModelV4 vs LangChain FakeListChatModel
//          invoke / stream; every stream is a text answer in four chunks.
//   live   over loopback, against an instant OpenAI-compatible server in a child process:
//          the official `openai` SDK alone vs Agentry's openaiProvider through
//          executor.execute() vs AI SDK 7 generateText on @ai-sdk/openai (Chat Completions).
//   tools  a mock run of 3 steps (tool a, tool b, answer) with 2 trivial tools: Agentry's
//          step loop (also with stopWhen: stepCountIs(3)) vs AI SDK 7 generateText with tools and
//          stopWhen: stepCountIs(3).
//   replay a tape replayed at speed 0 (@agentry/core/tapes) against a plain mock run of the same
//          agent through the same executor, execute() and stream() (the target: replay ≤ 2× mock).
//   memory heap after 200k mock executions (4 × 50k across 10 tenants, forced GC).
// Uses the built dist, like a user would. Run: npx -y pnpm@10 run bench:peers
// (builds, then `node --expose-gc bench/peers.bench.mjs`). BENCH_ROUNDS changes the rounds,
// BENCH_SLICE_MS each subject's time per round (0: the fixed counts of each group).
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { stepCountIs as agentryStepCountIs, createExecutor, defineAgent, defineTool } from '@agentry/core';
import { openaiProvider } from '@agentry/core/openai';
import { createMemoryTapeStore, recordTapes, tapeProvider } from '@agentry/core/tapes';
import { createOpenAI } from '@ai-sdk/openai';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import OpenAI from 'openai';
import * as z from 'zod';
import {
  CHUNKS,
  textAgent as makeTextAgent,
  toolsAgent as makeToolsAgent,
  QUESTION,
  recordedLive,
  TEXT,
  TENANT as tenant,
} from './fixtures.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const KEY = 'sk-bench-0000000000000000';

// ---- the instant server (child process, loopback, stops by itself) ----
const child = fork(fileURLToPath(new URL('./instant-openai-server.mjs', import.meta.url)), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const port = await new Promise((resolve, reject) => {
  child.once('message', (message) => resolve(message.port));
  child.once('exit', (code) => reject(new Error(`The bench server exited early (code ${code}).`)));
});
const baseURL = `http://127.0.0.1:${port}/v1`;

// ---- Agentry ----
const textAgent = makeTextAgent({ defineAgent });
const executor = createExecutor({
  agents: [textAgent],
  providers: { openai: openaiProvider({ apiKey: KEY, baseURL }) },
  limits: { maxRetries: 0 },
});
const agentryRun = { agentId: 'text', input: { question: QUESTION }, tenant };

// ---- tape replay: the text agent's answer recorded once from a "live" provider that answers like
// the mock (four chunks and usage), then replayed at speed 0 ----
// (`recordedLive`, from bench/fixtures.mjs)
const tapeStore = createMemoryTapeStore();
const recorder = createExecutor({
  agents: [textAgent],
  providers: { openai: recordTapes(recordedLive, { store: tapeStore }) },
});
for (const call of [
  (run) => recorder.execute(run),
  async (run) => {
    for await (const _ of recorder.stream(run));
  },
])
  await call({ ...agentryRun, mode: 'live' });
const replayExecutor = createExecutor({
  agents: [textAgent],
  providers: { openai: tapeProvider({ store: tapeStore }, { speed: 0 }) },
  limits: { maxRetries: 0 },
});
const streamAll = async (events) => {
  let deltas = 0;
  for await (const event of events) {
    if (event.type === 'output-delta') deltas += 1;
    else if (event.type === 'execution-error') throw new Error(event.error.message);
  }
  if (deltas !== 4) throw new Error(`streamed ${deltas} chunks, not 4`);
};

// ---- tools: 3 steps (call a, call b, answer), 2 trivial tools, on both sides ----
const toolsAgent = makeToolsAgent({ defineAgent, defineTool });
// The same agent with AI SDK 7's stop condition: asked after steps 1 and 2, the answer ends step 3.
const stoppedAgent = defineAgent({ ...toolsAgent, id: 'tools-stopped', stopWhen: agentryStepCountIs(3) });
const toolsExecutor = createExecutor({ agents: [toolsAgent, stoppedAgent, textAgent], limits: { maxRetries: 0 } });
const toolsRun = { agentId: 'tools', input: { question: QUESTION }, tenant };
const aiToolsModel = new MockLanguageModelV4({
  doGenerate: async (options) => {
    const done = options.prompt.filter((message) => message.role === 'tool').length;
    const content =
      done === 0
        ? [{ type: 'tool-call', toolCallId: 'c0', toolName: 'a', input: '{"x":1}' }]
        : done === 1
          ? [{ type: 'tool-call', toolCallId: 'c1', toolName: 'b', input: '{"x":2}' }]
          : [{ type: 'text', text: TEXT }];
    return {
      content,
      finishReason: done < 2 ? { unified: 'tool-calls', raw: 'tool_calls' } : finishReason,
      usage: usageV4,
      warnings: [],
    };
  },
});
// The AI SDK side's tools: the same two, with the same input schema.
const toolInput = z.object({ x: z.number() });
const aiTools = {
  a: tool({ description: 'Adds one.', inputSchema: toolInput, execute: async ({ x }) => x + 1 }),
  b: tool({ description: 'Doubles.', inputSchema: toolInput, execute: async ({ x }) => x * 2 }),
};

// ---- AI SDK 7 ----
const usageV4 = {
  inputTokens: { total: 14, noCache: 14, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 8, text: 8, reasoning: 0 },
};
const finishReason = { unified: 'stop', raw: 'stop' };
const aiModel = new MockLanguageModelV4({
  doGenerate: async () => ({ content: [{ type: 'text', text: TEXT }], finishReason, usage: usageV4, warnings: [] }),
  doStream: async () => ({
    stream: convertArrayToReadableStream([
      { type: 'stream-start', warnings: [] },
      { type: 'text-start', id: 't0' },
      ...CHUNKS.map((delta) => ({ type: 'text-delta', id: 't0', delta })),
      { type: 'text-end', id: 't0' },
      { type: 'finish', finishReason, usage: usageV4 },
    ]),
  }),
});
const aiOpenAI = createOpenAI({ baseURL, apiKey: KEY });
// The provider's default model is the Responses API; .chat() is Chat Completions, as the others.
const aiLiveModel = aiOpenAI.chat('gpt-4.1-mini');

// ---- LangChain ----
const langchainModel = new FakeListChatModel({ responses: [TEXT] });
// FakeListChatModel streams one chunk per character: a four-character answer is four chunks.
const langchainStreamModel = new FakeListChatModel({ responses: ['Oui.'] });

// ---- the official SDK alone ----
const openaiClient = new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0, logLevel: 'off' });
const messages = [
  { role: 'system', content: 'Answer in one sentence.' },
  { role: 'user', content: QUESTION },
];

const expectText = (text, who) => {
  if (text !== TEXT) throw new Error(`${who} answered ${JSON.stringify(text)}`);
};

const groups = {
  'mock execute': {
    iterations: 4_000,
    subjects: {
      'Agentry execute()': async () => {
        const result = await executor.execute(agentryRun);
        if (result.status !== 'succeeded') throw new Error(result.error.message);
      },
      'AI SDK 7 generateText': async () => {
        await generateText({ model: aiModel, prompt: QUESTION, maxRetries: 0 });
      },
      'LangChain invoke': async () => {
        await langchainModel.invoke(QUESTION);
      },
    },
  },
  'mock stream (4 chunks)': {
    iterations: 1_000,
    subjects: {
      'Agentry stream()': async () => {
        let deltas = 0;
        for await (const event of executor.stream(agentryRun)) {
          if (event.type === 'output-delta') deltas += 1;
          else if (event.type === 'execution-error') throw new Error(event.error.message);
        }
        if (deltas !== 4) throw new Error(`Agentry streamed ${deltas} chunks, not 4`);
      },
      'AI SDK 7 streamText': async () => {
        let deltas = 0;
        const result = streamText({ model: aiModel, prompt: QUESTION, maxRetries: 0 });
        for await (const part of result.fullStream) if (part.type === 'text-delta') deltas += 1;
        if (deltas !== 4) throw new Error(`AI SDK streamed ${deltas} chunks, not 4`);
      },
      'LangChain stream': async () => {
        let deltas = 0;
        for await (const _chunk of await langchainStreamModel.stream(QUESTION)) deltas += 1;
        if (deltas !== 4) throw new Error(`LangChain streamed ${deltas} chunks, not 4`);
      },
    },
  },
  'mock vs tape replay (speed 0)': {
    iterations: 2_000,
    subjects: {
      'Agentry execute() mock': async () => {
        const result = await replayExecutor.execute({ ...agentryRun, mode: 'mock' });
        if (result.status !== 'succeeded') throw new Error(result.error.message);
      },
      'Agentry execute() tape replay': async () => {
        const result = await replayExecutor.execute({ ...agentryRun, mode: 'live' });
        if (result.status !== 'succeeded') throw new Error(result.error.message);
        expectText(result.output, 'tape replay');
      },
      'Agentry stream() mock': () => streamAll(replayExecutor.stream({ ...agentryRun, mode: 'mock' })),
      'Agentry stream() tape replay': () => streamAll(replayExecutor.stream({ ...agentryRun, mode: 'live' })),
    },
  },
  'mock tools (3 steps, 2 tools)': {
    iterations: 2_000,
    subjects: {
      'Agentry execute() (step loop)': async () => {
        const result = await toolsExecutor.execute(toolsRun);
        if (result.status !== 'succeeded' || result.steps.length !== 3) throw new Error('Agentry tools run failed');
      },
      'AI SDK 7 generateText (tools, stepCountIs(3))': async () => {
        const result = await generateText({
          model: aiToolsModel,
          prompt: QUESTION,
          tools: aiTools,
          stopWhen: stepCountIs(3),
          maxRetries: 0,
        });
        if (result.steps.length !== 3 || result.text !== TEXT) throw new Error('AI SDK tools run failed');
      },
      'Agentry execute() (1 step, no tools)': async () => {
        const result = await toolsExecutor.execute(agentryRun);
        if (result.status !== 'succeeded') throw new Error(result.error.message);
      },
      'Agentry execute() (step loop, stopWhen: stepCountIs(3))': async () => {
        const result = await toolsExecutor.execute({ ...toolsRun, agentId: 'tools-stopped' });
        if (result.status !== 'succeeded' || result.steps.length !== 3) throw new Error('Agentry stopWhen run failed');
      },
    },
  },
  'live execute, loopback': {
    iterations: 300,
    subjects: {
      'openai SDK alone': async () => {
        const completion = await openaiClient.chat.completions.create({
          model: 'gpt-4.1-mini',
          messages,
          max_completion_tokens: 64,
        });
        expectText(completion.choices[0]?.message.content, 'openai SDK');
      },
      'Agentry execute() live (openaiProvider)': async () => {
        const result = await executor.execute({ ...agentryRun, mode: 'live' });
        if (result.status !== 'succeeded') throw new Error(result.error.message);
        expectText(result.output, 'Agentry');
      },
      'AI SDK 7 generateText (@ai-sdk/openai .chat)': async () => {
        const result = await generateText({
          model: aiLiveModel,
          instructions: messages[0].content,
          prompt: QUESTION,
          maxOutputTokens: 64,
          maxRetries: 0,
        });
        expectText(result.text, 'AI SDK');
      },
    },
  },
};

// Each subject runs for a time slice per round (BENCH_SLICE_MS, default 200 ms), not a fixed
// count: with fixed counts a cheap subject's window was a few ms, and a collection the previous
// subject's garbage had made due (AI SDK 7's streamText makes about 1 MB per call) could land in
// it and double its round. Time-sliced, every subject's own collections stay in its window and
// anyone else's weigh alike on all. BENCH_SLICE_MS=0 runs the fixed counts below instead.
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 200);

// Wall and CPU time per call; CPU is this process only (the server runs in the child).
async function measure(body, iterations, sliced = SLICE_MS > 0) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  let count = 0;
  if (sliced) {
    const end = start + BigInt(SLICE_MS * 1_000_000);
    // The clock is read every `batch` calls, a hundredth of the group's count.
    const batch = Math.max(1, Math.ceil(iterations / 100));
    do {
      for (let index = 0; index < batch; index += 1) await body();
      count += batch;
    } while (process.hrtime.bigint() < end);
  } else {
    for (let index = 0; index < iterations; index += 1) await body();
    count = iterations;
  }
  const wall = Number(process.hrtime.bigint() - start) / 1000 / count;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / count };
}

const clearRecordedCalls = () => {
  // MockLanguageModelV4 records every call; keep its arrays from growing across rounds.
  aiModel.doGenerateCalls.length = 0;
  aiModel.doStreamCalls.length = 0;
  aiToolsModel.doGenerateCalls.length = 0;
};

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
// The mean is what a run costs on average here, noisy neighbours included; the median and the
// best round show how much of it was the machine (a shared VM can halve its speed for a round).
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const results = {};
// BENCH_GROUPS=tools (a substring of the group names, comma-separated) runs only those groups.
const only = process.env.BENCH_GROUPS?.split(',').filter(Boolean);
for (const [group, { iterations, subjects }] of Object.entries(groups)) {
  if (only && !only.some((part) => group.includes(part))) continue;
  const names = Object.keys(subjects);
  // Warm-up: JIT, connections, lazy SDK setup; also checks every subject answers correctly.
  for (const name of names) await measure(subjects[name], Math.ceil(iterations / 2), false);
  clearRecordedCalls();
  const samples = Object.fromEntries(names.map((name) => [name, { wall: [], cpu: [] }]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let offset = 0; offset < names.length; offset += 1) {
      const name = names[(round + offset) % names.length];
      const { wall, cpu } = await measure(subjects[name], iterations);
      samples[name].wall.push(wall);
      samples[name].cpu.push(cpu);
    }
    clearRecordedCalls();
  }
  results[group] = Object.fromEntries(
    names.map((name) => [
      name,
      {
        wall: mean(samples[name].wall),
        cpu: mean(samples[name].cpu),
        medianWall: median(samples[name].wall),
        bestWall: Math.min(...samples[name].wall),
      },
    ]),
  );
}
child.disconnect();

// Memory: history is bounded per tenant, so the heap must level off however many runs go through.
const heap = [];
for (let round = 1; round <= (only ? 0 : 4); round += 1) {
  for (let index = 0; index < 50_000; index += 1) {
    await executor.execute({ ...agentryRun, tenant: { tenantId: `t${index % 10}` } });
  }
  globalThis.gc?.();
  heap.push((process.memoryUsage().heapUsed / 1048576).toFixed(1));
}

const format = (value) => value.toFixed(1);
console.log(
  '| group | subject | mean wall µs/op | mean CPU µs/op | wall ÷ first row | CPU ÷ first row | median round wall | best round wall |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [group, rows] of Object.entries(results)) {
  const [first] = Object.values(rows);
  for (const [name, { wall, cpu, medianWall, bestWall }] of Object.entries(rows)) {
    const ratios = `${(wall / first.wall).toFixed(2)}× | ${(cpu / first.cpu).toFixed(2)}×`;
    console.log(
      `| ${group} | ${name} | ${format(wall)} | ${format(cpu)} | ${ratios} | ${format(medianWall)} | ${format(bestWall)} |`,
    );
  }
}
const tools = results['mock tools (3 steps, 2 tools)'];
if (tools) {
  const [loop, aiLoop, single] = Object.values(tools);
  console.log('');
  const perStep = (field) =>
    `Agentry ${format(loop[field] / 3)} µs per step (${format((loop[field] - single[field]) / 2)} µs per step added over a 1-step run), ` +
    `AI SDK 7 ${format(aiLoop[field] / 3)} µs per step`;
  console.log(`tools, 3 steps, CPU: ${perStep('cpu')}`);
  console.log(`tools, 3 steps, wall: ${perStep('wall')}`);
}
const replay = results['mock vs tape replay (speed 0)'];
if (replay) {
  const [mockExecute, replayExecute, mockStream, replayStream] = Object.values(replay);
  const ratio = (a, b, field) => (b[field] / a[field]).toFixed(2);
  console.log('');
  console.log(
    `tape replay (speed 0) ÷ mock, per call: execute() ${ratio(mockExecute, replayExecute, 'cpu')}× CPU ` +
      `(${ratio(mockExecute, replayExecute, 'wall')}× wall), stream() ${ratio(mockStream, replayStream, 'cpu')}× CPU ` +
      `(${ratio(mockStream, replayStream, 'wall')}× wall)`,
  );
}
const live = results['live execute, loopback'] ? Object.values(results['live execute, loopback']) : undefined;
if (!live) process.exit(0);
const [sdk, agentryLive, aiLive] = live;
const signed = (value, digits = 1) => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;
const over = (row) =>
  `${signed(row.wall - sdk.wall)} µs wall (${signed(((row.wall - sdk.wall) / sdk.wall) * 100, 0)} %), ` +
  `${signed(row.cpu - sdk.cpu)} µs CPU (${signed(((row.cpu - sdk.cpu) / sdk.cpu) * 100, 0)} %)`;
console.log('');
console.log(`live, over the openai SDK alone: Agentry ${over(agentryLive)}; AI SDK 7 ${over(aiLive)}`);
console.log(`heap after 50k / 100k / 150k / 200k mock executions (10 tenants): ${heap.join(' / ')} MiB`);
console.log(
  `${ROUNDS} interleaved rounds (${SLICE_MS > 0 ? `${SLICE_MS} ms a subject each` : 'fixed counts'}); ${new Date().toISOString()}; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ` +
    `Node ${process.version}, ${os.platform()} ${os.arch()}, load average ${os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
);
