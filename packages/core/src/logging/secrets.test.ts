import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { acme } from '../../test/agents';
import {
  AgentryError,
  createExecutor,
  createRedactor,
  defineAgent,
  isAgentryError,
  jsonLogger,
  type ProviderAdapter,
  Secret,
} from '../index';

const KEY = 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6';
const CONFIGURED = 'tenant-webhook-secret-4f9a2c';

const agent = defineAgent({
  id: 'leaky',
  name: 'Leaky',
  input: z.object({ note: z.string() }),
  model: { provider: 'leaky', model: 'gpt-4.1-mini' },
  prompt: ({ note }) => note,
  mock: ({ note }) => `echo ${note}`,
});

/** A provider that fails the way careless SDKs do: the key in the message and deep in the cause chain. */
const leakyProvider: ProviderAdapter = {
  specificationVersion: 'v1',
  id: 'leaky',
  secrets: [new Secret(KEY)],
  async execute() {
    const root = new Error(`socket hang up; Authorization: Bearer ${KEY}`);
    const middle = new Error(`request with x-api-key=${KEY} failed`, { cause: root });
    (middle as Error & { headers: unknown }).headers = { authorization: `Bearer ${KEY}` };
    throw new AgentryError('provider_auth_failed', `Incorrect API key provided: ${KEY}. Also ${CONFIGURED}.`, {
      cause: middle,
      provider: 'leaky',
    });
  },
};

describe('secrets never leave the process', () => {
  it('a secret in input, in a provider error message and in a nested cause never reaches a log line or a returned error', async () => {
    const lines: string[] = [];
    const executor = createExecutor({
      agents: [agent],
      providers: { leaky: leakyProvider },
      secrets: [CONFIGURED],
      logger: jsonLogger({ level: 'debug', write: (line) => lines.push(line) }),
    });
    const tenant = acme;
    const live = await executor.execute({
      agentId: 'leaky',
      input: { note: `my key is ${KEY}` },
      mode: 'live',
      tenant,
    });
    const mock = await executor.execute({ agentId: 'leaky', input: { note: `keys ${KEY} and ${CONFIGURED}` }, tenant });
    const streamed: unknown[] = [];
    for await (const event of executor.stream({ agentId: 'leaky', input: { note: `again ${KEY}` }, tenant }))
      streamed.push(event);
    let refusal: unknown;
    try {
      await executor.execute({ agentId: 'leaky', input: { note: 5, extra: KEY } as never, tenant });
    } catch (error) {
      refusal = error;
    }
    const history = await executor.listExecutions(tenant);

    // The refusal must exist: an input that no longer fails would leave nothing to check below.
    expect(isAgentryError(refusal) && refusal.code).toBe('validation_failed');
    expect(live.status).toBe('failed');
    expect(live.status === 'failed' && live.error.message).toContain('Incorrect API key provided: [REDACTED]');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const everything = [
      ...lines,
      JSON.stringify(live),
      JSON.stringify(mock),
      JSON.stringify(streamed),
      JSON.stringify(history),
      JSON.stringify(refusal),
      String(refusal),
      JSON.stringify(createRedactor().redactValue(refusal)),
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(CONFIGURED);
    expect(everything).not.toContain('Zx81Ka0pQ7');
    expect(everything).toContain('[REDACTED]');
  });

  it('the thrown refusal carries a redacted cause chain', async () => {
    const strict = defineAgent({
      id: 'strict',
      name: 'Strict',
      input: z.object({ n: z.number() }).refine(() => false, { message: `rejected ${KEY}` }),
      prompt: () => 'x',
    });
    const executor = createExecutor({ agents: [strict] });
    const error = await executor
      .execute({ agentId: 'strict', input: { n: 1 }, tenant: acme })
      .catch((caught: unknown) => caught);
    expect(isAgentryError(error) && error.code).toBe('validation_failed');
    const thrown = error as AgentryError;
    // The refine message quoting the key is really in the error (redacted), not dropped.
    expect(JSON.stringify(thrown)).toContain('rejected [REDACTED]');
    expect(JSON.stringify(thrown)).not.toContain(KEY);
    expect(thrown.message).not.toContain(KEY);
  });

  it('Secret prints [REDACTED] however it is printed', async () => {
    const secret = new Secret(KEY);
    const { inspect } = await import('node:util');
    expect(`${secret}`).toBe('[REDACTED]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[REDACTED]"}');
    expect(inspect({ secret })).not.toContain(KEY);
    expect(secret.reveal()).toBe(KEY);
  });

  it.each([
    ['OpenAI key', `key=${KEY}`, 'key=[REDACTED]'],
    ['Anthropic key', 'sk-ant-api03-AbCdEfGh12345678', '[REDACTED]'],
    ['bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc', 'Authorization: [REDACTED]'],
    ['x-api-key header', '{"x-api-key": "abcdef123456"}', '{"x-api-key": "[REDACTED]"}'],
    ['plain text', 'nothing secret here, just a skeleton key', 'nothing secret here, just a skeleton key'],
  ])('redacts %s', (_name, input, expected) => {
    expect(createRedactor().redactString(input)).toBe(expected);
  });

  it('redacts sensitive keys in structured values, survives cycles, and keeps other data', () => {
    const value: Record<string, unknown> = {
      headers: { Authorization: 'token-123456', accept: 'json' },
      apiKey: 'abc',
    };
    value.self = value;
    const out = createRedactor().redactValue(value) as Record<string, Record<string, unknown>>;
    expect(out.headers).toEqual({ Authorization: '[REDACTED]', accept: 'json' });
    expect(out.apiKey).toBe('[REDACTED]');
    expect(out.self).toBe(out);
  });
});

describe('every spelling of the credential shapes redacted today', () => {
  // Each row is a shape or a spelling no other test uses: without it, a narrower pattern passes.
  it.each([
    ['an OpenAI key without a project prefix', 'sk-abcdefgh12345678', '[REDACTED]'],
    ['a bare Bearer token', 'retry with Bearer abcdef123456', 'retry with Bearer [REDACTED]'],
    ['a bare Basic credential', 'see Basic dXNlcjpwYXNz ok', 'see Basic [REDACTED] ok'],
    ['a bare Bearer token after several spaces', 'Bearer   abcdef123456', 'Bearer   [REDACTED]'],
    ['a header Bearer token after several spaces', 'Authorization: Bearer   abcdef123456', 'Authorization: [REDACTED]'],
    ['api_key=', 'api_key=abc123def', 'api_key=[REDACTED]'],
    ['api-key:', 'api-key: abc123def', 'api-key: [REDACTED]'],
    ['apikey= (no separator)', 'apikey=abc123def', 'apikey=[REDACTED]'],
    ['spaces around =', 'authorization = "abc123def"', 'authorization = "[REDACTED]"'],
    ['a proxy-authorization header', 'proxy-authorization: Basic abcdefgh', 'proxy-authorization: [REDACTED]'],
    ['a URL scheme with + and digits', 'postgresql+ssl://u:pw@h/db', 'postgresql+ssl://[REDACTED]@h/db'],
    ['a short URL scheme', 's3://key:secret@bucket', 's3://[REDACTED]@bucket'],
  ])('%s', (_name, input, expected) => {
    expect(createRedactor().redactString(input)).toBe(expected);
  });

  it('redacts the value of every sensitive key spelling, and keeps other keys', () => {
    const keys = ['api_key', 'apikey', 'x-api-key', 'client_secret', 'client-secret', 'access_token', 'access-token'];
    const more = ['refresh_token', 'refreshToken', 'set-cookie', 'Cookie', 'password', 'secret', 'proxy-authorization'];
    const camel = ['clientSecret', 'accessToken', 'apiKey'];
    const all = [...keys, ...more, ...camel];
    const value = Object.fromEntries(all.map((key) => [key, 'v4lue']));
    const out = createRedactor().redactValue({ ...value, name: 'keep' }) as Record<string, string>;
    expect(out).toEqual({ ...Object.fromEntries(all.map((key) => [key, '[REDACTED]'])), name: 'keep' });
  });

  it('redacts compound keys whose last word is sensitive, and keeps keys where the word is only part of one', () => {
    const sensitive = [
      'db_password',
      'DB_PASSWORD',
      'x-client-secret',
      'AWS_SECRET_ACCESS_KEY',
      'stripeSecret',
      'githubToken',
      'slack.bot.token',
      'token',
      'privateKey',
      'private_key',
      'credentials',
      'dbPasswd',
    ];
    const kept = ['passwordHint', 'secretary', 'max_tokens', 'inputTokens', 'outputTokens', 'tokenizer', 'nonsecret'];
    const value = Object.fromEntries([...sensitive, ...kept].map((key) => [key, 'v4lue']));
    const out = createRedactor().redactValue(value) as Record<string, string>;
    for (const key of sensitive) expect(out[key], key).toBe('[REDACTED]');
    for (const key of kept) expect(out[key], key).toBe('v4lue');
  });
});

describe('redacting an error as a structured value', () => {
  // Leak checks alone pass when data is dropped: these pin what redactValue must keep.
  it('keeps its own fields and its cause chain, each redacted, and drops raw HTTP parts', () => {
    const root = new Error(`socket closed; token ${KEY}`);
    const error = Object.assign(new Error(`call failed with ${KEY}`, { cause: root }), {
      code: 'provider_error',
      status: 502,
      apiKey: 'abc-123-def',
      headers: { 'x-request-id': 'req_1' },
      request: { url: 'https://api.example.com/v1' },
      response: { status: 502 },
      body: 'the raw upstream body',
    });
    const out = createRedactor().redactValue(error) as unknown as Record<string, unknown>;
    expect(out).toEqual({
      name: 'Error',
      message: 'call failed with [REDACTED]',
      code: 'provider_error',
      status: 502,
      apiKey: '[REDACTED]',
      cause: { name: 'Error', message: 'socket closed; token [REDACTED]' },
    });
  });

  it('survives cycles through an error cause and through arrays, and keeps dates and Secret placeholders', () => {
    const looped = new Error('loop');
    looped.cause = looped;
    const list: unknown[] = ['a'];
    list.push(list);
    const when = new Date('2026-12-01T00:00:00Z');
    const out = createRedactor().redactValue({ looped, list, when, key: new Secret(KEY) }) as Record<string, unknown>;
    const error = out.looped as Record<string, unknown>;
    expect(error.cause).toBe(error);
    const copy = out.list as unknown[];
    expect(copy[0]).toBe('a');
    expect(copy[1]).toBe(copy);
    expect(out.when).toBe(when);
    expect(out.key).toBe('[REDACTED]');
  });

  it('redacts a value nested past the cycle-free copy (32 levels) and one that shares a sub-value', () => {
    let deep: unknown = { apiKey: 'plain', note: `key ${KEY}` };
    for (let level = 0; level < 40; level += 1) deep = level % 2 === 0 ? [deep] : { inner: deep };
    const out = JSON.stringify(createRedactor().redactValue(deep));
    expect(out).not.toContain(KEY);
    expect(out).toContain('"apiKey":"[REDACTED]"');
    expect(out.match(/\[REDACTED\]/g)).toHaveLength(2);
    const shared = { token: 'x', text: KEY };
    const copy = createRedactor().redactValue({ a: shared, b: [shared] });
    expect(copy).toEqual({
      a: { token: '[REDACTED]', text: '[REDACTED]' },
      b: [{ token: '[REDACTED]', text: '[REDACTED]' }],
    });
    expect(shared).toEqual({ token: 'x', text: KEY });
  });

  it('redacts configured secrets of six characters or more, and leaves shorter ones (ordinary words) alone', () => {
    const redactor = createRedactor(['abc', 'zq7-k2']);
    expect(redactor.redactString('abc and zq7-k2')).toBe('abc and [REDACTED]');
  });
});

describe('URL credentials', () => {
  it.each([
    ['postgres://admin:hunter2@db.internal:5432/app', 'postgres://[REDACTED]@db.internal:5432/app'],
    // A scheme may end in any letter (the shape has no look-behind rule).
    ['clickhouse://default:s3cr3tpass@ch:8123', 'clickhouse://[REDACTED]@ch:8123'],
    ['fetch https://user:tok3n@agents.example.com/x failed', 'fetch https://[REDACTED]@agents.example.com/x failed'],
    ['https://agents.example.com/health', 'https://agents.example.com/health'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
  ])('%s', (input, expected) => {
    expect(createRedactor().redactString(input)).toBe(expected);
  });
});

describe('configured values in JSON text, and values that are not objects', () => {
  it('a configured value with a quote, a backslash or a newline is found where JSON text escapes it', () => {
    const value = 'pa"ss\\wo\nrd-42';
    const redactor = createRedactor([value]);
    expect(redactor.redactString(JSON.stringify({ password: value }))).toBe('{"password":"[REDACTED]"}');
    expect(redactor.redactString(`raw ${value} end`)).toBe('raw [REDACTED] end');
  });

  it('a configured value is matched exactly: its case, and regex characters taken literally', () => {
    const special = 'k.e*y+(1)[2]{3}|^$?';
    const redactor = createRedactor(['Tenant-Key-77x', special]);
    expect(redactor.redactString('tenant-key-77x, TENANT-KEY-77X, Tenant-Key-77x')).toBe(
      'tenant-key-77x, TENANT-KEY-77X, [REDACTED]',
    );
    expect(redactor.redactString(`${special} and kXeeey+(1)[2]{3}|^$?`)).toBe('[REDACTED] and kXeeey+(1)[2]{3}|^$?');
  });

  it('redactValue returns primitives as they are and walks arrays item by item', () => {
    const redactor = createRedactor(['tenant-password-1']);
    expect(redactor.redactValue(42)).toBe(42);
    expect(redactor.redactValue(null)).toBe(null);
    expect(redactor.redactValue(true)).toBe(true);
    expect(redactor.redactValue('pw tenant-password-1')).toBe('pw [REDACTED]');
    const out = redactor.redactValue(['tenant-password-1', 7, null, { note: 'tenant-password-1' }]);
    expect(Array.isArray(out)).toBe(true);
    expect(out).toEqual(['[REDACTED]', 7, null, { note: '[REDACTED]' }]);
  });
});
