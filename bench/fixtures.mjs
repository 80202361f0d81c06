// The agents the benches and profiles run, defined once: the peer bench's tools workload (3 steps:
// tool a, tool b, answer; two trivial tools), its text agent (four streamed chunks) and the
// "live" provider a tape is recorded from (answers like the mock). Each takes the core module it
// is built with, so a bench can compare two builds (bench/hot-path.bench.mjs).
import * as z from 'zod';

export const CHUNKS = ['The capital ', 'of France ', 'is ', 'Paris.'];
export const TEXT = CHUNKS.join('');
export const TENANT = { tenantId: 'bench', userId: 'bench' };
export const QUESTION = 'What is the capital of France?';

/** 3 steps (call a, call b, answer) with 2 trivial tools, in mock mode. */
export function toolsAgent({ defineAgent, defineTool }) {
  const toolInput = z.object({ x: z.number() });
  return defineAgent({
    id: 'tools',
    name: 'Tools',
    input: z.object({ question: z.string() }),
    prompt: ({ question }) => question,
    tools: {
      a: defineTool({ description: 'Adds one.', input: toolInput, execute: ({ x }) => x + 1 }),
      b: defineTool({ description: 'Doubles.', input: toolInput, execute: ({ x }) => x * 2 }),
    },
    mock: {
      steps: [
        { toolCalls: [{ name: 'a', args: { x: 1 } }] },
        { toolCalls: [{ name: 'b', args: { x: 2 } }] },
        { text: TEXT },
      ],
    },
  });
}

/** A text agent on OpenAI's model name whose mock streams CHUNKS. */
export function textAgent({ defineAgent }) {
  return defineAgent({
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
}

/** A "live" provider that answers like the mock (four chunks and usage): what a tape is recorded from. */
export const recordedLive = {
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
