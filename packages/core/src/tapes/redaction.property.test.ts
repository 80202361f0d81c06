// Secrets never reach a tape: configured values and key shapes, in any field of the request
// (bodies included), in streamed text cut anywhere, in tool calls, objects and errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import { Secret } from '../logging';
import { chunk, cuts, lineDocuments, MARK } from '../logging/redaction-generators.test-support';
import type { ProviderEvent } from '../providers';
import { recordingMockProvider } from '../testing';
import { recordTapes } from './record-tapes';
import { serializeTapeFile } from './tape-format';
import { createMemoryTapeStore } from './tape-store';
import { collect, context, failure, request } from './tapes.test-support';

const RUNS = { numRuns: 150 };

async function tapeText(store: ReturnType<typeof createMemoryTapeStore>): Promise<string> {
  return store
    .tapes()
    .map(({ address, entries }) => serializeTapeFile({ ...address, entries: [...entries] }))
    .join('\n');
}

const leaky = (text: string) =>
  request({
    input: { text, nested: { apiKey: 'plain', note: text } },
    messages: [
      { role: 'system', content: `Context: ${text}` },
      { role: 'user', content: text },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'lookup', argsText: JSON.stringify({ q: text }) }],
      },
      { role: 'tool', toolCallId: 'call_1', toolName: 'lookup', content: text },
    ],
    tools: [{ name: 'lookup', description: text, inputSchema: { type: 'object', description: text } }],
    outputSchema: { name: 'answer', schema: { type: 'object', description: text } },
    providerOptions: { openai: { user: text } },
  });

describe('tapes never hold a secret (property-based; fast-check prints the seed on failure)', () => {
  it('in a streamed call: request fields, deltas cut anywhere, tool calls, the finish object', async () => {
    await fc.assert(
      fc.asyncProperty(lineDocuments, cuts, async (document, points) => {
        const answer: ProviderEvent[] = [
          ...chunk(document.text, points).map((delta) => ({ type: 'text-delta' as const, delta })),
          {
            type: 'tool-call',
            toolCall: { id: 'call_2', name: 'lookup', argsText: JSON.stringify({ q: document.text }) },
          },
          { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
          { type: 'finish', finishReason: 'stop', object: { text: document.text } },
        ];
        const live = {
          ...recordingMockProvider({ stream: [answer] }),
          secrets: document.configured.map((value) => new Secret(value)),
        };
        const store = createMemoryTapeStore();
        await collect(recordTapes(live, { store }), leaky(document.text));
        const text = await tapeText(store);
        expect(text).toContain('"type": "finish"');
        expect(text).not.toContain(MARK);
      }),
      RUNS,
    );
  });

  it('in streamed structured output: JSON text cut anywhere, escaped newlines included', async () => {
    await fc.assert(
      fc.asyncProperty(lineDocuments, cuts, async (document, points) => {
        const json = JSON.stringify({ summary: document.text, words: [document.text] });
        const live = recordingMockProvider({ stream: [chunk(json, points)] });
        const store = createMemoryTapeStore();
        await collect(recordTapes(live, { store }, { secrets: document.configured }), request());
        const text = await tapeText(store);
        expect(text).toContain('"type": "text-delta"');
        expect(text).not.toContain(MARK);
      }),
      RUNS,
    );
  });

  it('in a complete answer and in errors, and for secrets passed to recordTapes itself', async () => {
    await fc.assert(
      fc.asyncProperty(lineDocuments, async (document) => {
        const store = createMemoryTapeStore();
        const live = recordingMockProvider({
          execute: [
            { text: document.text, object: { echo: document.text } },
            new AgentryError('provider_error', `Upstream said: ${document.text}`, { userMessage: document.text }),
          ],
          stream: [[document.text], new AgentryError('rate_limited', document.text)],
        });
        const recorder = recordTapes(live, { store }, { secrets: document.configured });
        await recorder.execute(leaky(document.text), context());
        await failure(recorder.execute(leaky(`${document.text}!`), context()));
        await collect(recorder, leaky(`${document.text}?`));
        await failure(collect(recorder, leaky(`${document.text}?!`)));
        const text = await tapeText(store);
        expect(text).toContain('"code": "rate_limited"');
        expect(text).not.toContain(MARK);
      }),
      RUNS,
    );
  });
  it('in JSON text a text scan reads: a prompt holding JSON.stringify(input), prose around JSON, escaped newlines', async () => {
    await fc.assert(
      fc.asyncProperty(lineDocuments, cuts, async (document, points) => {
        // Not parseable as a whole (prose around it): only the text scan sees it, escapes and all.
        const embedded = `Here you are: ${JSON.stringify({ note: document.text })} (done)`;
        const live = recordingMockProvider({ stream: [chunk(embedded, points)] });
        const store = createMemoryTapeStore();
        const prompt = request({
          messages: [
            { role: 'system', content: `Input: ${JSON.stringify({ text: document.text })}` },
            { role: 'user', content: JSON.stringify([document.text]) },
          ],
        });
        await collect(recordTapes(live, { store }, { secrets: document.configured }), prompt);
        const text = await tapeText(store);
        expect(text).toContain('"type": "text-delta"');
        expect(text).not.toContain(MARK);
      }),
      RUNS,
    );
  });
});
