// Live availability comes from one function: GET /agents (per agent), GET /health (per provider)
// and the executor's own refusal of a live run must agree, through the real handler and client.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { createClient } from '../client/create-client';
import { type AgentryError, isAgentryError } from '../errors';
import { openaiProvider } from '../providers/openai/openai-provider';
import { createHandler } from '../server/create-handler';
import { type Loopback, listen, resolveTenantFromSession, sessionCookie } from '../server/loopback.test-support';
import { toNodeListener } from '../server/node-listener';
import { createOpenAIMock } from '../testing';
import { createExecutor } from './create-executor';
import type { AgentSummary, ExecutorOptions, HealthReport } from './types';

const openai = createOpenAIMock();
const msw = setupServer(...openai.handlers);

beforeAll(() => msw.listen({ onUnhandledFrame: 'bypass' }));
afterEach(() => {
  openai.reset();
  vi.unstubAllEnvs();
});
afterAll(() => msw.close());

const summarize = defineAgent({
  id: 'summarize',
  name: 'Summarizer',
  input: z.object({ text: z.string() }),
  output: z.object({ summary: z.string() }),
  model: { provider: 'openai', model: 'gpt-4.1-mini' },
  prompt: ({ text }) => text,
  mock: ({ text }) => ({ summary: text }),
});
const mockOnly = defineAgent({
  id: 'mock-only',
  name: 'Mock only',
  input: z.object({ text: z.string() }),
  modes: ['mock'],
  prompt: ({ text }) => text,
});

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves an executor with these options and answers what GET /agents and GET /health say, as `tenantId`. */
async function seenBy(tenantId: string, options: ExecutorOptions) {
  const executor = createExecutor({ agents: [summarize, mockOnly], ...options });
  const handler = createHandler({ executor, resolveTenant: resolveTenantFromSession, basePath: '/api/agentry' });
  server = await listen(toNodeListener(handler));
  const client = createClient({
    baseUrl: `${server.origin}/api/agentry`,
    headers: { cookie: sessionCookie(tenantId, 'user_1') },
  });
  const agents = await client.listAgents();
  const health = await client.health();
  return { client, agents, health };
}

/** The agreement itself: every live-capable agent says what /health says of its provider. */
function expectAgreement(agents: AgentSummary[], health: HealthReport) {
  const agent = agents.find((entry) => entry.id === 'summarize') as AgentSummary;
  expect(health.providers.openai?.live).toEqual(agent.live);
  return agent.live;
}

async function refusal(promise: Promise<unknown>): Promise<AgentryError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAgentryError(error)) throw new Error(`expected an AgentryError, got ${String(error)}`);
  return error;
}

describe('live availability agrees between GET /agents, GET /health and a live run', () => {
  it('no API key: unavailable everywhere, with the reason in end-user words', async () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    const { client, agents, health } = await seenBy('acme', { providers: { openai: openaiProvider() } });
    const live = expectAgreement(agents, health);
    expect(live).toEqual({
      available: false,
      reason:
        'Live mode is not set up on this server yet (the "openai" provider is not configured). Use mock mode, or ask an administrator to set it up.',
    });
    expect(health.providers.openai).toMatchObject({ status: 'unconfigured', configured: false });
    // A live run is refused before it starts, with the same words (not a failed run saying "retry").
    const error = await refusal(client.execute({ agentId: 'summarize', input: { text: 'x' }, mode: 'live' }));
    expect(error).toMatchObject({ code: 'provider_not_configured', userMessage: live.reason, retryable: false });
    expect(openai.requests).toHaveLength(0);
  });

  it('kill switch off: unavailable everywhere with the operator reason', async () => {
    const { agents, health } = await seenBy('acme', {
      providers: { openai: openaiProvider({ apiKey: 'sk-test-key-000000000000' }) },
      live: { enabled: false, reason: 'Live mode is paused for maintenance.' },
    });
    expect(expectAgreement(agents, health)).toEqual({
      available: false,
      reason: 'Live mode is paused for maintenance.',
    });
    expect(health.live).toEqual({ enabled: false, reason: 'Live mode is paused for maintenance.' });
  });

  it('per-tenant kill switch: each tenant sees its own answer on both routes', async () => {
    const options: ExecutorOptions = {
      providers: { openai: openaiProvider({ apiKey: 'sk-test-key-000000000000' }) },
      live: { enabled: (tenant) => tenant.tenantId === 'acme', reason: 'Live mode is not part of your plan.' },
    };
    const acme = await seenBy('acme', options);
    expect(expectAgreement(acme.agents, acme.health)).toEqual({ available: true });
    expect(acme.health.live).toEqual({ enabled: true });
    await server?.close();
    const globex = await seenBy('globex', options);
    expect(expectAgreement(globex.agents, globex.health)).toEqual({
      available: false,
      reason: 'Live mode is not part of your plan.',
    });
    expect(globex.health.live).toEqual({ enabled: false, reason: 'Live mode is not part of your plan.' });
  });

  it('provider configured: available everywhere, and a live run goes through', async () => {
    const { client, agents, health } = await seenBy('acme', {
      providers: { openai: openaiProvider({ apiKey: 'sk-test-key-000000000000' }) },
    });
    expect(expectAgreement(agents, health)).toEqual({ available: true });
    expect(health.providers.openai).toMatchObject({ status: 'ok', configured: true });
    openai.reply({ type: 'object', object: { summary: 'live x' } });
    const result = await client.execute({ agentId: 'summarize', input: { text: 'x' }, mode: 'live' });
    expect(result).toMatchObject({ mode: 'live', status: 'succeeded' });
  });

  it('an agent that runs in mock mode only says so; mock is never listed as a live provider', async () => {
    const { agents, health } = await seenBy('acme', {});
    expect(agents.find((agent) => agent.id === 'mock-only')?.live).toEqual({
      available: false,
      reason: 'This agent runs in mock mode only.',
    });
    expect(health.providers.mock).not.toHaveProperty('live');
  });
});
