import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { type AgentResultOutput, createExecutor, defineAgent, type ExecutionResult } from '../index';

const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarizer',
  input: z.object({ text: z.string(), style: z.enum(['brief', 'detailed']).default('brief') }),
  output: z.object({ summary: z.string() }),
  prompt: (input) => {
    expectTypeOf(input).toEqualTypeOf<{ text: string; style: 'brief' | 'detailed' }>();
    return input.text;
  },
  mock: ({ text }) => ({ summary: text }),
});

const echo = defineAgent({
  id: 'echo',
  name: 'Echo',
  input: z.object({ message: z.string() }),
  prompt: ({ message }) => message,
  mock: ({ message }) => message,
});

describe('types flow from defineAgent to results', () => {
  it('keeps the id literal and the schemas', () => {
    expectTypeOf(summarize.id).toEqualTypeOf<'summarize'>();
    expectTypeOf(echo.id).toEqualTypeOf<'echo'>();
  });

  it('infers the input from the agent id and the output in the result', async () => {
    const executor = createExecutor({ agents: [summarize, echo] });
    const tenant = { tenantId: 't' };
    const result = await executor.execute({ agentId: 'summarize', input: { text: 'x' }, tenant });
    if (result.status === 'succeeded') expectTypeOf(result.output).toEqualTypeOf<{ summary: string }>();
    else expectTypeOf(result.error.code).toBeString();
    const text = await executor.execute({ agentId: 'echo', input: { message: 'x' }, tenant });
    if (text.status === 'succeeded') expectTypeOf(text.output).toEqualTypeOf<string>();

    // @ts-expect-error: unknown agent id
    await executor.execute({ agentId: 'nope', input: {}, tenant });
    // @ts-expect-error: wrong input for this agent
    await executor.execute({ agentId: 'echo', input: { text: 'x' }, tenant });
    // @ts-expect-error: a tenant is required
    await executor.execute({ agentId: 'echo', input: { message: 'x' } });
  });

  it('mock must return the output type', () => {
    defineAgent({
      id: 'typed',
      name: 'Typed',
      input: z.object({}),
      output: z.object({ n: z.number() }),
      prompt: () => 'x',
      // @ts-expect-error: n must be a number
      mock: () => ({ n: 'one' }),
    });
  });

  it("a mock's literals fit the output schema without `as const` (no widening to string)", () => {
    const category = z.enum(['billing', 'bug', 'other']);
    const classify = defineAgent({
      id: 'classify',
      name: 'Classify',
      input: z.object({ body: z.string() }),
      output: z.object({ category, urgent: z.boolean(), tags: z.array(z.string()) }),
      prompt: ({ body }) => body,
      mock: ({ body }) => ({ category: /invoice/.test(body) ? 'billing' : 'other', urgent: false, tags: ['a', body] }),
    });
    expectTypeOf<AgentResultOutput<typeof classify>>().toEqualTypeOf<{
      category: 'billing' | 'bug' | 'other';
      urgent: boolean;
      tags: string[];
    }>();
    defineAgent({
      id: 'no-params',
      name: 'No params',
      input: z.object({}),
      output: z.object({ category }),
      prompt: () => 'x',
      mock: async () => ({ category: 'bug' }),
    });
    defineAgent({
      id: 'fixtures',
      name: 'Fixtures',
      input: z.object({ body: z.string() }),
      output: z.object({ category, n: z.number() }),
      prompt: ({ body }) => body,
      mock: {
        fixtures: [
          { match: { body: 'x' }, output: { category: 'bug', n: 1 } },
          { output: { category: 'other', n: 2 } },
        ],
        fallback: ({ body }) => ({ category: body ? 'billing' : 'other', n: 3 }),
      },
    });
    defineAgent({
      id: 'not-in-enum',
      name: 'Not in enum',
      input: z.object({ body: z.string() }),
      output: z.object({ category }),
      prompt: ({ body }) => body,
      // @ts-expect-error: 'nonsense' is not a category
      mock: ({ body }) => ({ category: body ? 'bug' : 'nonsense' }),
    });
    defineAgent({
      id: 'missing-field',
      name: 'Missing field',
      input: z.object({}),
      output: z.object({ n: z.number() }),
      prompt: () => 'x',
      // @ts-expect-error: n is missing
      mock: () => ({}),
    });
    defineAgent({
      id: 'bad-fixture',
      name: 'Bad fixture',
      input: z.object({}),
      output: z.object({ n: z.number() }),
      prompt: () => 'x',
      // @ts-expect-error: a fixture's output must match the schema too
      mock: { fixtures: [{ output: { n: 'one' } }] },
    });
    defineAgent({
      id: 'text',
      name: 'Text',
      input: z.object({ message: z.string() }),
      prompt: ({ message }) => message,
      // @ts-expect-error: an agent without an output schema answers text
      mock: () => 3,
    });
  });

  it('results are discriminated on status', () => {
    expectTypeOf<ExecutionResult['status']>().toEqualTypeOf<'succeeded' | 'failed' | 'cancelled'>();
  });
});
