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

describe('URL credentials', () => {
  it.each([
    ['postgres://admin:hunter2@db.internal:5432/app', 'postgres://[REDACTED]@db.internal:5432/app'],
    ['fetch https://user:tok3n@agents.example.com/x failed', 'fetch https://[REDACTED]@agents.example.com/x failed'],
    ['https://agents.example.com/health', 'https://agents.example.com/health'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
  ])('%s', (input, expected) => {
    expect(createRedactor().redactString(input)).toBe(expected);
  });
});
