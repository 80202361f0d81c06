import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { defineAgent, defineTool, type ToolContext, type ToolInput, type ToolResult } from '../index';

const lookupOrder = defineTool({
  description: 'Looks up an order.',
  input: z.object({ id: z.string(), verbose: z.boolean().default(false) }),
  execute: (input, context) => {
    expectTypeOf(input).toEqualTypeOf<{ id: string; verbose: boolean }>();
    expectTypeOf(context).toEqualTypeOf<ToolContext>();
    return { id: input.id, total: 12.5 };
  },
});

const draftReply = defineTool({
  description: 'Drafts a reply.',
  input: z.object({ ticketId: z.string() }),
  output: z.object({ body: z.string() }),
  execute: async ({ ticketId }) => ({ body: `Re: ${ticketId}` }),
});

describe('types flow from defineTool', () => {
  it('types the input (before defaults) and the result', () => {
    expectTypeOf<ToolInput<typeof lookupOrder>>().toEqualTypeOf<{ id: string; verbose?: boolean | undefined }>();
    expectTypeOf<ToolResult<typeof lookupOrder>>().toEqualTypeOf<{ id: string; total: number }>();
    expectTypeOf<ToolResult<typeof draftReply>>().toEqualTypeOf<{ body: string }>();
  });

  it('checks execute against the output schema', () => {
    defineTool({
      description: 'x',
      input: z.object({}),
      output: z.object({ body: z.string() }),
      // @ts-expect-error: body must be a string
      execute: () => ({ body: 1 }),
    });
  });

  it('types scripted mock calls by tool name', () => {
    defineAgent({
      id: 'support',
      name: 'Support',
      input: z.object({ q: z.string() }),
      prompt: ({ q }) => q,
      tools: { lookupOrder, draftReply },
      mock: {
        steps: [
          {
            toolCalls: [
              { name: 'lookupOrder', args: { id: '42' } },
              { name: 'draftReply', args: { ticketId: 't' } },
            ],
          },
          { toolCalls: [{ name: 'anything', argsText: '{not json' }] },
          { text: 'done' },
        ],
      },
    });
    defineAgent({
      id: 'support',
      name: 'Support',
      input: z.object({ q: z.string() }),
      prompt: ({ q }) => q,
      tools: { lookupOrder },
      mock: {
        // @ts-expect-error: id must be a string
        steps: [{ toolCalls: [{ name: 'lookupOrder', args: { id: 42 } }] }],
      },
    });
    defineAgent({
      id: 'support',
      name: 'Support',
      input: z.object({ q: z.string() }),
      prompt: ({ q }) => q,
      tools: { lookupOrder },
      mock: {
        steps: (input, history) => {
          expectTypeOf(input).toEqualTypeOf<{ q: string }>();
          return history.step === 0 ? { toolCalls: [{ name: 'lookupOrder', args: { id: input.q } }] } : { text: 'ok' };
        },
      },
    });
  });
});
