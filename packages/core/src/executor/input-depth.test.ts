// limits.maxDepth: deeply nested input or structured output is refused with a clear error
// before anything recursive (zod, JSON.stringify, the redactor) walks it.
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createExecutor, defineAgent, isAgentryError, type ProviderAdapter } from '../index';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

/** Arrays nested `depth` levels deep, built without recursion. */
function deepArray(depth: number): never {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = [value];
  return value as never;
}

/** Objects nested `depth` levels deep: `{ a: { a: … } }`. */
function deepObject(depth: number): never {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value as never;
}

// z.json() walks the whole value recursively: in Node 24 it overflows the stack near 1,170 levels.
const anyJson = defineAgent({
  id: 'any-json',
  name: 'Any JSON',
  input: z.object({ data: z.json() }),
  prompt: () => 'x',
  mock: () => 'ok',
});

const deepOutput = defineAgent({
  id: 'deep-output',
  name: 'Deep output',
  input: z.object({ depth: z.number().int(), as: z.enum(['text', 'object']) }),
  output: z.object({ data: z.any() }),
  model: { provider: 'echoing', model: 'echo-1' },
  prompt: ({ depth, as }) => `${as}:${depth}`,
});

/** A live provider that answers JSON nested as deep as the prompt asks, as text or as a parsed object. */
const echoingProvider: ProviderAdapter = {
  id: 'echoing',
  async execute(request) {
    const [as, depth] = String(request.messages.at(-1)?.content).split(':');
    const text = `{"data":${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}}`;
    const usage = { inputTokens: 1, outputTokens: 1 };
    return as === 'text'
      ? { text, usage, finishReason: 'stop' }
      : { text: '', object: { data: deepArray(Number(depth)) }, usage, finishReason: 'stop' };
  },
};

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('limits.maxDepth on input', () => {
  const executor = createExecutor({ agents: [anyJson, deepOutput] });

  it.each([
    ['10k nested arrays', deepArray(10_000)],
    ['10k nested objects', deepObject(10_000)],
    ['100k nested arrays', deepArray(100_000)],
  ])('refuses %s with validation_failed naming the limit and the path, never a RangeError', async (_name, data) => {
    const error = await refusal(
      executor.execute({ agentId: 'any-json', input: { data: data as never }, mode: 'mock', tenant }),
    );
    expect(isAgentryError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'validation_failed', status: 400 });
    const { message, issues, userMessage } = error as {
      message: string;
      issues: { path: unknown[]; code: string }[];
      userMessage: string;
    };
    expect(message).toContain('more than 256 levels deep');
    expect(message).toContain('limits.maxDepth');
    expect(userMessage).toContain('nested too deeply');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe('too_deep');
    // The container that is one level too deep: `data` and then 255 more levels.
    expect(issues[0]?.path).toHaveLength(256);
    expect(issues[0]?.path[0]).toBe('data');
  });

  it('accepts exactly 256 levels and refuses 257, in execute and stream alike', async () => {
    const ok = await executor.execute({ agentId: 'any-json', input: { data: deepArray(255) }, mode: 'mock', tenant });
    expect(ok.status).toBe('succeeded');
    const streamed = executor.stream({ agentId: 'any-json', input: { data: deepArray(256) }, mode: 'mock', tenant });
    const error = await refusal(
      (async () => {
        for await (const _event of streamed) {
          // nothing is expected to arrive
        }
      })(),
    );
    expect(error).toMatchObject({ code: 'validation_failed', issues: [{ code: 'too_deep' }] });
  });

  it('refuses a refused input before it costs anything: no run is recorded', async () => {
    const fresh = createExecutor({ agents: [anyJson] });
    await refusal(fresh.execute({ agentId: 'any-json', input: { data: deepArray(5000) }, mode: 'mock', tenant }));
    expect((await fresh.listExecutions(tenant)).items).toEqual([]);
  });

  it('honours a lower configured limit and refuses impossible ones at configuration time', async () => {
    const strict = createExecutor({ agents: [anyJson], limits: { maxDepth: 3 } });
    expect((await strict.execute({ agentId: 'any-json', input: { data: [[1]] }, mode: 'mock', tenant })).status).toBe(
      'succeeded',
    );
    const error = await refusal(
      strict.execute({ agentId: 'any-json', input: { data: [[[1]]] }, mode: 'mock', tenant }),
    );
    expect(error).toMatchObject({ code: 'validation_failed', issues: [{ path: ['data', 0, 0], code: 'too_deep' }] });
    expect(() => createExecutor({ limits: { maxDepth: 0 } })).toThrow(/limits.maxDepth must be an integer >= 1/);
    expect(() => createExecutor({ limits: { maxDepth: 513 } })).toThrow(/limits.maxDepth must be at most 512/);
    expect(() => createExecutor({ limits: { maxDepth: 512 } })).not.toThrow();
  });

  it('names a cycle as a cycle', async () => {
    const data: Record<string, unknown> = { list: [] };
    (data.list as unknown[]).push(data);
    const error = await refusal(
      executor.execute({ agentId: 'any-json', input: { data: data as never }, mode: 'mock', tenant }),
    );
    expect(error).toMatchObject({ code: 'validation_failed', issues: [{ path: ['data', 'list', 0], code: 'cycle' }] });
  });

  it('refuses a shallow value that shares sub-objects into 2^40 leaves as too large, without walking them all', async () => {
    let data: unknown = { leaf: true };
    for (let level = 0; level < 40; level += 1) data = [data, data];
    const error = await refusal(
      executor.execute({ agentId: 'any-json', input: { data: data as never }, mode: 'mock', tenant }),
    );
    expect(error).toMatchObject({ code: 'input_too_large' });
  });
});

describe('limits.maxDepth on structured output', () => {
  const executor = createExecutor({ agents: [deepOutput], providers: { echoing: echoingProvider } });

  it.each(['text', 'object'] as const)(
    'fails a live run whose output (%s) nests too deeply with output_invalid; the record still serializes',
    async (as) => {
      const result = await executor.execute({
        agentId: 'deep-output',
        input: { depth: 10_000, as },
        mode: 'live',
        tenant,
      });
      if (result.status !== 'failed') throw new Error(`expected a failed run, got ${result.status}`);
      expect(result.error).toMatchObject({ code: 'output_invalid' });
      expect(result.error.message).toContain('more than 256 levels deep');
      expect(() => JSON.stringify(result)).not.toThrow();
      expect((await executor.getExecution(tenant, result.id)).status).toBe('failed');
    },
  );

  it('keeps output within the limit', async () => {
    const result = await executor.execute({
      agentId: 'deep-output',
      input: { depth: 200, as: 'text' },
      mode: 'live',
      tenant,
    });
    expect(result.status).toBe('succeeded');
  });
});
