// Properties of the two pieces that reassemble and re-shape tool calls: OpenAI's fragment joiner
// (any split of any argument text comes back verbatim) and Anthropic's message mapping (every
// tool result sent once, in order, consecutive ones in one user turn).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toAnthropicMessages } from './anthropic/anthropic-tools';
import { createToolCallAssembler } from './openai/openai-tools';
import type { ProviderMessage } from './types';

const seedNote = { numRuns: 200, verbose: 1 } as const;

/** Cuts `text` at the given (sorted, deduplicated) positions. */
function cut(text: string, positions: number[]): string[] {
  const points = [...new Set(positions.map((position) => position % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(text.slice(start, point));
    start = point;
  }
  pieces.push(text.slice(start));
  return pieces;
}

describe('OpenAI tool-call fragments (property)', () => {
  it('any argument text, cut anywhere and interleaved across calls, joins back verbatim per index', () => {
    const call = fc.record({
      id: fc.stringMatching(/^call_[A-Za-z0-9]{1,12}$/),
      name: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,20}$/),
      argsText: fc.string(),
      cuts: fc.array(fc.nat(), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 4 }), fc.boolean(), (calls, interleave) => {
        const assembler = createToolCallAssembler('OpenAI', 'openai');
        const deltas = calls.map((entry, index) => [
          { index, id: entry.id, type: 'function', function: { name: entry.name, arguments: '' } },
          ...cut(entry.argsText, entry.cuts).map((fragment) => ({ index, function: { arguments: fragment } })),
        ]);
        if (interleave) {
          const longest = Math.max(...deltas.map((list) => list.length));
          for (let step = 0; step < longest; step += 1)
            for (const list of deltas) if (list[step]) assembler.add([list[step]]);
        } else {
          for (const list of deltas) for (const delta of list) assembler.add([delta]);
        }
        expect(assembler.complete()).toEqual(calls.map(({ id, name, argsText }) => ({ id, name, argsText })));
      }),
      seedNote,
    );
  });
});

describe('Anthropic message mapping (property)', () => {
  const toolResult = fc.record({
    role: fc.constant('tool' as const),
    toolCallId: fc.stringMatching(/^toolu_[a-z0-9]{1,8}$/),
    toolName: fc.constant('lookup'),
    content: fc.string(),
    isError: fc.boolean(),
  });
  const other = fc.oneof(
    fc.record({
      role: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const),
      content: fc.string(),
    }),
    fc.record({
      role: fc.constant('assistant' as const),
      content: fc.string(),
      toolCalls: fc.array(fc.record({ id: fc.string(), name: fc.constant('lookup'), argsText: fc.string() }), {
        maxLength: 3,
      }),
    }),
  );

  it('every tool result is sent once, in order; a run of results is one user turn', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(toolResult, other), { maxLength: 12 }), (messages: ProviderMessage[]) => {
        const { messages: sent } = toAnthropicMessages(messages);
        const resultBlocks = sent.flatMap((message) =>
          Array.isArray(message.content) ? message.content.filter((block) => block.type === 'tool_result') : [],
        );
        const expected = messages.flatMap((message) => (message.role === 'tool' ? [message] : []));
        expect(
          resultBlocks.map((block) =>
            block.type === 'tool_result' ? [block.tool_use_id, block.content, block.is_error === true] : [],
          ),
        ).toEqual(expected.map((message) => [message.toolCallId, message.content, message.isError === true]));
        // Runs of consecutive results: as many user turns holding results as there are runs.
        const runs = messages
          .filter((message) => message.role !== 'system')
          .filter((message, index, list) => message.role === 'tool' && list[index - 1]?.role !== 'tool').length;
        const turns = sent.filter(
          (message) => Array.isArray(message.content) && message.content.some((block) => block.type === 'tool_result'),
        );
        expect(turns.length).toBe(runs);
        for (const turn of turns) expect(turn.role).toBe('user');
        expect(sent.some((message) => (message.role as string) === 'system')).toBe(false);
      }),
      seedNote,
    );
  });
});
