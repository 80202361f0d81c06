import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { AnyAgent } from '../agent';
import { checkOutput, parseModelJson } from './output-check';

describe('parseModelJson', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['```json\n{"a":1}\n```', { a: 1 }],
    ['```\n[1, 2]\n```', [1, 2]],
    ['  ```JSON  \n{"a":1}\n  ```  \n', { a: 1 }],
  ])('reads %j', (text, value) => {
    expect(parseModelJson(text)).toEqual({ ok: true, value });
  });

  it.each([
    'Here it is: ```json\n{"a":1}\n```',
    '```json\n{"a":1}\n``` and some words after',
    'x```json\n{"a":1}\n```',
    '```jsonc\n{"a":1}\n```',
    '{"a":',
  ])('refuses %j, with the parser’s message', (text) => {
    const parsed = parseModelJson(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toMatch(/JSON|Unexpected|token/i);
  });
});

describe('checkOutput', () => {
  const agent = { id: 'extract', output: z.object({ a: z.number() }) } as unknown as AnyAgent;
  const answer = { agent, object: undefined, executionId: 'exe_1', providerId: 'openai', maxDepth: 64 };

  it('text that is not JSON is output_invalid, saying when the answer was cut off at the token limit', async () => {
    const cut = await checkOutput({ ...answer, text: '{"a": 1, "b": [', finishReason: 'length' });
    expect('failure' in cut && cut.failure).toMatchObject({
      code: 'output_invalid',
      executionId: 'exe_1',
      provider: 'openai',
    });
    expect('failure' in cut && cut.failure.message).toMatch(
      /^Agent "extract" answered text that is not JSON \(.+\); the answer was cut off at the token limit\.$/,
    );
    const plain = await checkOutput({ ...answer, text: 'Sure! Here you go.', finishReason: 'stop' });
    expect('failure' in plain && plain.failure.message).toMatch(
      /^Agent "extract" answered text that is not JSON \(.+\)\.$/,
    );
    expect('failure' in plain && plain.failure.message).not.toContain('cut off');
  });

  it('fenced JSON is checked against the output schema', async () => {
    expect(await checkOutput({ ...answer, text: '```json\n{"a":1}\n```', finishReason: 'stop' })).toEqual({
      output: { a: 1 },
    });
  });
});
