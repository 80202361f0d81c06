import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { isAgentryError } from '../errors';
import { buildPrompt } from './build-prompt';

function agentWith(prompt: (input: { text: string }) => unknown) {
  return defineAgent({
    id: 'echo',
    name: 'Echo',
    input: z.object({ text: z.string() }),
    prompt: prompt as (input: { text: string }) => string,
    mock: () => 'ok',
  });
}

async function failure(prompt: (input: { text: string }) => unknown) {
  try {
    await buildPrompt(agentWith(prompt), { text: 'hi' });
  } catch (error) {
    if (isAgentryError(error)) return error;
    throw error;
  }
  throw new Error('expected buildPrompt to fail');
}

const REFUSED =
  'The prompt of agent "echo" returned neither a string nor a list of messages; the details are in the server log.';

describe('buildPrompt', () => {
  it('makes a string one user message, at once', () => {
    expect(
      buildPrompt(
        agentWith(({ text }) => `Say ${text}`),
        { text: 'hi' },
      ),
    ).toEqual([{ role: 'user', content: 'Say hi' }]);
  });

  it('keeps a list of system, user and assistant messages as it is, and waits for an async prompt', async () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ];
    expect(
      buildPrompt(
        agentWith(() => messages),
        { text: 'hi' },
      ),
    ).toBe(messages);
    const pending = buildPrompt(
      agentWith(async ({ text }) => text),
      { text: 'later' },
    );
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual([{ role: 'user', content: 'later' }]);
    expect(
      await buildPrompt(
        agentWith(async () => messages),
        { text: 'hi' },
      ),
    ).toBe(messages);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    [
      'a list with one message of an unknown role',
      [
        { role: 'user', content: 'ok' },
        { role: 'robot', content: 'x' },
      ],
    ],
    ['a list with a null', [{ role: 'user', content: 'ok' }, null]],
    ['a list with a string', [{ role: 'user', content: 'ok' }, 'text']],
    [
      'a list with a content that is not text',
      [
        { role: 'user', content: 'ok' },
        { role: 'user', content: 5 },
      ],
    ],
    ['a list with a message without content', [{ role: 'user', content: 'ok' }, { role: 'user' }]],
  ])('refuses %s, in its own words, with why as the cause', async (_what, answer) => {
    for (const prompt of [() => answer, async () => answer]) {
      const error = await failure(prompt);
      expect(error).toMatchObject({ code: 'internal', message: REFUSED });
      expect(error.cause).toBeInstanceOf(TypeError);
      expect((error.cause as Error).message).toBe(
        'prompt() must return a string or an array of { role, content } messages.',
      );
    }
  });
});
