// The SDK error mappers on the errors the SDKs themselves construct: the cases the provider
// suites (msw at the wire) do not reach, found by mutation testing (docs/testing.md).
import { APIError as AnthropicAPIError, APIConnectionTimeoutError as AnthropicTimeout } from '@anthropic-ai/sdk';
import { APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../logging';
import { toAnthropicError } from '../anthropic/anthropic-errors';
import { errorFromBody, toOpenAIError } from '../openai/openai-errors';
import { finishedWithError, refusalError } from './answer-errors';

const KEY = 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6';
const context = () => ({ signal: new AbortController().signal, redactor: createRedactor(), provider: 'openai' });
const plain = (error: { code: string; message: string; retryable: boolean; details?: unknown }) => ({
  code: error.code,
  message: error.message,
  retryable: error.retryable,
});

describe('SDK error mappers', () => {
  it('a client-side timeout is `timeout`, naming the server, with the request id when known', () => {
    const openai = toOpenAIError(new APIConnectionTimeoutError(), { ...context(), requestId: 'req_1' });
    expect(openai.code).toBe('timeout');
    expect(openai.message).toBe('OpenAI did not answer within the client timeout.');
    expect(openai).toMatchObject({ provider: 'openai', requestId: 'req_1' });
    const anthropic = toAnthropicError(new AnthropicTimeout(), { ...context(), provider: 'anthropic' });
    expect(anthropic.code).toBe('timeout');
    expect(anthropic.message).toBe('Anthropic did not answer within the client timeout.');
  });

  it('an HTTP error without a JSON body keeps the server’s text, without the SDK’s status prefix, scrubbed', () => {
    const openai = toOpenAIError(
      new APIError(400, undefined, `Bad request   for key ${KEY}`, new Headers()),
      context(),
    );
    expect(openai.message).toContain(': Bad request   for key [REDACTED]');
    expect(openai.message).not.toContain('400 Bad');
    expect(openai.message).not.toContain(KEY);
    const anthropic = toAnthropicError(new AnthropicAPIError(400, undefined, 'Plain text failure', new Headers()), {
      ...context(),
      provider: 'anthropic',
    });
    expect(anthropic.message).toContain(': Plain text failure');
    expect(anthropic.message).not.toContain('400 Plain');
  });

  it('OpenAI: the error type and code of the error object reach the message; a numeric code is not a code', () => {
    const quota = toOpenAIError(
      new APIError(
        429,
        { type: 'insufficient_quota', code: 'insufficient_quota', message: 'No credit' },
        undefined,
        new Headers(),
      ),
      context(),
    );
    const limited = toOpenAIError(
      new APIError(429, { type: 'requests', code: '429', message: 'Slow down' }, undefined, new Headers()),
      context(),
    );
    expect(plain(quota)).toEqual({
      code: 'rate_limited',
      message:
        "OpenAI quota exhausted (HTTP 429, insufficient_quota): No credit. Check the account's plan and billing.",
      retryable: false,
    });
    expect(plain(limited)).toEqual({
      code: 'rate_limited',
      message: 'OpenAI rate limit (HTTP 429, requests): Slow down',
      retryable: true,
    });
  });

  it('an error object in a 200 body without a message still names the server', () => {
    const error = errorFromBody({ error: { code: 502 } }, 'body', { ...context(), requestId: 'req_2' });
    expect(plain(error)).toEqual({
      code: 'provider_error',
      message: 'OpenAI answered with an error (status 502)',
      retryable: true,
    });
    expect(error).toMatchObject({ provider: 'openai', requestId: 'req_2' });
  });
});

describe('SDK error mappers: aborts, long messages, the unexpected', () => {
  it('an abort error by name is cancelled even before the signal says so', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    const mapped = toOpenAIError(abort, { ...context(), requestId: 'req_4' });
    expect(mapped).toMatchObject({ code: 'cancelled', provider: 'openai', requestId: 'req_4' });
    expect(mapped.message).toBe('The OpenAI request was aborted.');
    expect(toAnthropicError({ name: 'APIUserAbortError' }, { ...context(), provider: 'anthropic' }).code).toBe(
      'cancelled',
    );
    expect(toOpenAIError({ name: 'TimeoutError' }, context()).code).toBe('provider_error');
  });

  it('a provider message is cut at 500 characters', () => {
    const mapped = toOpenAIError(new APIError(400, { message: 'x'.repeat(600) }, undefined, new Headers()), context());
    expect(mapped.message).toContain(`: ${'x'.repeat(500)}…`);
    expect(mapped.message).not.toContain('x'.repeat(501));
  });

  it('anything else is logged (redacted) and answered without its words; broken stream JSON is retryable', () => {
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (event: string, fields?: Record<string, unknown>) => lines.push([event, fields]),
    };
    const mapped = toOpenAIError(new TypeError(`cannot read ${KEY}`), { ...context(), logger, requestId: 'req_5' });
    expect(mapped).toMatchObject({ code: 'provider_error', retryable: false, provider: 'openai', requestId: 'req_5' });
    expect(mapped.message).toMatch(
      /^OpenAI call failed with an unexpected .+; the underlying error is in the server log\.$/,
    );
    expect(mapped.message).not.toContain(KEY);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toBe('agentry.provider.unexpected_error');
    expect(lines[0]?.[1]).toMatchObject({ provider: 'openai' });
    expect(JSON.stringify(lines)).not.toContain(KEY);

    const broken = toOpenAIError(new SyntaxError('Unexpected end of JSON input'), { ...context(), requestId: 'req_6' });
    expect(broken).toMatchObject({ code: 'provider_error', retryable: true, requestId: 'req_6' });
    expect(broken.message).toContain('malformed stream event');
  });
});

describe('answer errors', () => {
  const base = { provider: 'openai', requestId: 'req_3' };

  it('a refusal is output_invalid, not retried, with the model’s words scrubbed or a full stop', () => {
    const said = refusalError(`I cannot share ${KEY}`, base, createRedactor());
    expect(said.message).toBe('The model refused to answer: I cannot share [REDACTED]');
    expect(said).toMatchObject({ code: 'output_invalid', retryable: false, provider: 'openai', requestId: 'req_3' });
    expect(said.userMessage).toBe(
      'The model declined to answer this request. Rephrase the input or adjust the prompt.',
    );
    expect(refusalError(undefined, base, createRedactor()).message).toBe('The model refused to answer.');
    expect(refusalError('   ', base, createRedactor()).message).toBe('The model refused to answer.');
  });

  it('an error finish reason is a retryable provider_error quoting at most 64 characters of it', () => {
    const error = finishedWithError('vLLM', `abort${'x'.repeat(100)}`, base);
    expect(error.message).toBe(
      `vLLM ended the answer with finish reason "abort${'x'.repeat(59)}": the generation failed on the server. Try again.`,
    );
    expect(error).toMatchObject({ code: 'provider_error', retryable: true, provider: 'openai', requestId: 'req_3' });
    expect(finishedWithError('vLLM', undefined, base).message).toContain('finish reason "error"');
  });
});
