// The SDK error mappers on the errors the SDKs themselves construct: the cases the provider
// suites (msw at the wire) do not reach, found by mutation testing (docs/testing.md).
import { APIError as AnthropicAPIError, APIConnectionTimeoutError as AnthropicTimeout } from '@anthropic-ai/sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
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

describe('SDK error mappers: what mutation testing found untested (round 2)', () => {
  const recorder = () => {
    const lines: [string, Record<string, unknown> | undefined][] = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (event: string, fields?: Record<string, unknown>) => lines.push([event, fields]),
    };
    return { lines, logger };
  };

  it('a thrown null, undefined or string is an unexpected error, not a crash of the mapper', () => {
    for (const [thrown, kind] of [
      [null, 'null'],
      [undefined, 'undefined'],
      ['boom', 'string'],
    ] as const) {
      const mapped = toOpenAIError(thrown, context());
      expect(plain(mapped)).toEqual({
        code: 'provider_error',
        message: `OpenAI call failed with an unexpected ${kind}; the underlying error is in the server log.`,
        retryable: false,
      });
    }
  });

  it('a message of exactly 500 characters is kept whole; surrounding blanks are trimmed; a blank one is left out', () => {
    const exact = toOpenAIError(new APIError(400, { message: 'y'.repeat(500) }, undefined, new Headers()), context());
    expect(exact.message).toBe(`OpenAI error (HTTP 400): ${'y'.repeat(500)}`);
    const padded = toOpenAIError(new APIError(400, { message: '  Bad input \n' }, undefined, new Headers()), context());
    expect(padded.message).toBe('OpenAI error (HTTP 400): Bad input');
    const blank = toOpenAIError(new APIError(400, { message: '   ' }, undefined, new Headers()), context());
    expect(blank.message).toBe('OpenAI error (HTTP 400)');
  });

  it('a network error is a retryable provider_error with the provider, the request id and the cause; its words are logged only', () => {
    const { lines, logger } = recorder();
    const cause = new Error('getaddrinfo ENOTFOUND proxy.internal.example');
    const mapped = toOpenAIError(new APIConnectionError({ cause }), { ...context(), logger, requestId: 'req_7' });
    expect(plain(mapped)).toEqual({
      code: 'provider_error',
      message:
        'Could not reach OpenAI (network error). Check the network and baseURL; the underlying error is in the server log.',
      retryable: true,
    });
    expect(mapped).toMatchObject({ provider: 'openai', requestId: 'req_7' });
    expect((mapped.cause as { cause?: unknown }).cause).toBe(cause);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toBe('agentry.provider.network_error');
    expect(lines[0]?.[1]).toMatchObject({ provider: 'openai', error_message: expect.stringContaining('ENOTFOUND') });
  });

  it('OpenAI: a gateway’s error type in metadata is used when the error object has none or an empty one', () => {
    for (const type of [undefined, '']) {
      const mapped = toOpenAIError(
        new APIError(
          502,
          { code: 502, type, message: 'Provider returned error', metadata: { error_type: 'upstream_unavailable' } },
          undefined,
          new Headers(),
        ),
        context(),
      );
      expect(mapped.message).toBe('OpenAI error (HTTP 502, upstream_unavailable): Provider returned error');
    }
  });

  it('OpenAI: a numeric code or type that is not a status is left out of the message', () => {
    const mapped = toOpenAIError(
      new APIError(400, { code: 1261, type: 42, message: 'Prompt too long' }, undefined, new Headers()),
      context(),
    );
    expect(plain(mapped)).toEqual({
      code: 'provider_error',
      message: 'OpenAI error (HTTP 400): Prompt too long',
      retryable: false,
    });
  });

  it('an in-stream error object without a message is quoted whole, numbers included', () => {
    const body = { code: 'server_busy', detail: 'retry in 300 seconds' };
    const openai = toOpenAIError(new APIError(undefined, body, undefined, new Headers()), context());
    expect(openai.message).toBe(
      'OpenAI reported an error mid-stream (server_busy): {"code":"server_busy","detail":"retry in 300 seconds"}',
    );
    const anthropicBody = { type: 'error', error: { type: 'overloaded_error', detail: 'retry in 300 seconds' } };
    const anthropic = toAnthropicError(
      new AnthropicAPIError(undefined, anthropicBody, undefined, new Headers(), 'overloaded_error'),
      { ...context(), provider: 'anthropic' },
    );
    expect(anthropic.message).toBe(
      `Anthropic reported an error mid-stream (overloaded_error): ${JSON.stringify(anthropicBody)}`,
    );
  });

  it('Anthropic: a gateway body with its type at the top, or its message as a string, is still read', () => {
    const typed = toAnthropicError(
      new AnthropicAPIError(529, { type: 'overloaded_error', message: 'Busy' }, undefined, new Headers()),
      { ...context(), provider: 'anthropic' },
    );
    expect(plain(typed)).toEqual({
      code: 'provider_error',
      message: 'Anthropic error (HTTP 529, overloaded_error): Busy',
      retryable: true,
    });
    const text = toAnthropicError(new AnthropicAPIError(502, { error: 'Bad gateway' }, undefined, new Headers()), {
      ...context(),
      provider: 'anthropic',
    });
    expect(text.message).toBe('Anthropic error (HTTP 502): Bad gateway');
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

describe('what mutation testing found untested (round 4)', () => {
  it("rejected credentials name the vendor's API and say which key to check", () => {
    const openai = toOpenAIError(
      new APIError(401, { message: 'Incorrect API key provided.' }, undefined, new Headers()),
      context(),
    );
    expect(openai.code).toBe('provider_auth_failed');
    expect(openai.message).toMatch(/^OpenAI rejected the credentials \(/);
    expect(openai.message).toMatch(
      / Check the API key \(OPENAI_API_KEY or the apiKey option\) and its project access\.$/,
    );
    const anthropic = toAnthropicError(
      new AnthropicAPIError(
        401,
        { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } },
        undefined,
        new Headers(),
      ),
      { ...context(), provider: 'anthropic' },
    );
    expect(anthropic.code).toBe('provider_auth_failed');
    expect(anthropic.message).toMatch(/^Anthropic rejected the credentials \(/);
    expect(anthropic.message).toMatch(
      / Check the API key \(ANTHROPIC_API_KEY or the apiKey option\) and its workspace access\.$/,
    );
  });
});
