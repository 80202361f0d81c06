// Requests for the property tests of a request's tape key: JSON-like values with strings from the
// redaction generators (secrets among them), keys that are sensitive or not, and values that are
// not plain data (a Date, a Secret, an Error). Shared by tape-key.test.ts and request-key-memo.test.ts.
import fc from 'fast-check';
import { Secret } from '../logging';
import { documents } from '../logging/redaction-generators.test-support';
import type { ProviderRequest } from '../providers';
import { request } from './tapes.test-support';

// JSON-like values with strings from the redaction generators and keys that are sensitive or not.
const key = fc.constantFrom('a', 'b', 'z', 'apiKey', 'api_key', 'token', 'inputTokens', 'password', 'note', 'Token');
const leaf = fc.oneof(
  documents.map((document) => document.text),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(new Date(0)),
  fc.constant(new Secret('sk-secret-value-123456')),
  fc.constant(new Error('failed with sk-proj-0123456789abcdefghijkl')),
);
export const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));

export const requests: fc.Arbitrary<ProviderRequest> = fc
  .record({
    text: documents.map((document) => document.text),
    input: value,
    args: value,
    result: value,
    options: fc.option(fc.dictionary(fc.constantFrom('openai', 'mock', 'other'), value, { maxKeys: 3 }), {
      nil: undefined,
    }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    seed: fc.option(fc.integer(), { nil: undefined }),
  })
  .map(({ text, input, args, result, options, temperature, seed }) =>
    request({
      input,
      messages: [
        { role: 'system', content: text },
        { role: 'user', content: `Say: ${text}` },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'look', argsText: JSON.stringify(args) ?? text }],
        },
        { role: 'tool', toolCallId: 'call_1', toolName: 'look', content: JSON.stringify(result) ?? text },
      ],
      tools: [{ name: 'look', description: text, inputSchema: { type: 'object', description: text } }],
      ...(options === undefined ? {} : { providerOptions: options as ProviderRequest['providerOptions'] }),
      ...(temperature === undefined ? {} : { temperature }),
      ...(seed === undefined ? {} : { seed }),
    }),
  );
