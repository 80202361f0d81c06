// The provider contract, run against the remote adapter. The remote end is a real Agentry server
// on loopback (service B: `createHandler` + `toNodeListener`) whose executor runs the OpenAI
// adapter against msw's OpenAI imitation, with no retries of its own. So every scripted reply is
// the *model's* answer at the far end, and each case checks what reaches this side through the
// wire protocol: the remote's record or event stream, re-coded by `mapRemoteError`. The requests
// counted are the model's, so retries, cancellation and timeouts are checked end to end.
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import * as vitest from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../agent';
import { createExecutor } from '../../executor';
import { silentLogger } from '../../logging';
import { createHandler } from '../../server/create-handler';
import { type Loopback, listen } from '../../server/loopback.test-support';
import { toNodeListener } from '../../server/node-listener';
import type { TenantContext } from '../../tenant';
import { createOpenAIMock, describeProviderContract, providerMockHarness } from '../../testing';
import { openaiProvider } from '../openai';
import { remoteProvider } from './remote-provider';

/** This side's credential for service B; it matches no built-in key shape, so only `secrets` redacts it. */
const SERVICE_TOKEN = 'svc-remote-contract-7f3e9a1b5c2d';
const BASE = '/api/agentry';
const MODEL = 'gpt-4.1-mini';

// Service B's agents: the contract's two agents (same ids, inputs and output schema), on OpenAI.
const remoteAgents = [
  defineAgent({
    id: 'contract-echo',
    name: 'Contract echo (service B)',
    input: z.object({ text: z.string() }),
    model: { provider: 'openai', model: MODEL, maxOutputTokens: 64 },
    prompt: ({ text }) => text,
  }),
  defineAgent({
    id: 'contract-summarize',
    name: 'Contract summarize (service B)',
    input: z.object({ text: z.string() }),
    output: z.object({ summary: z.string(), words: z.number().int() }),
    model: { provider: 'openai', model: MODEL },
    prompt: ({ text }) => [
      { role: 'system', content: 'Summarize as JSON.' },
      { role: 'user', content: text },
    ],
  }),
];

/** Service B trusts the tenant header only from a caller holding the service token. */
function resolveTenant(request: Request): TenantContext | undefined {
  if (request.headers.get('authorization') !== `Bearer ${SERVICE_TOKEN}`) return undefined;
  const tenantId = request.headers.get('x-agentry-tenant');
  return tenantId ? { tenantId } : undefined;
}

/**
 * A contract harness for `remoteProvider` over SSE (`stream: true`) or the JSON record
 * (`stream: false`, which has no `stream()`, so the suite skips the streaming cases by name).
 */
function remoteHarness(stream: boolean) {
  const mock = createOpenAIMock();
  const server = setupServer(...mock.handlers);
  let serviceB: Loopback | undefined;
  return providerMockHarness({
    name: `remote over ${stream ? 'SSE' : 'JSON'} (an Agentry server running the OpenAI adapter)`,
    providerId: 'remote',
    model: MODEL,
    priced: true,
    secret: SERVICE_TOKEN,
    // Over JSON the adapter has no `stream()`: the executor gets the whole answer at once.
    ...(stream ? {} : { supports: { stream: false } }),
    mock,
    async setup() {
      const executor = createExecutor({
        agents: remoteAgents,
        // Service B's model key is its own; it does not know this side's token as a secret, so
        // the secret case checks this side's redaction.
        providers: { openai: openaiProvider({ apiKey: 'sk-proj-serviceB0123456789abcdef' }) },
        // One model request per run there: this side's policy alone decides retries and timeouts.
        limits: { maxRetries: 0, timeoutMs: { live: 3_600_000, mock: 3_600_000 } },
        logger: silentLogger,
      });
      const listening = await listen(
        toNodeListener(createHandler({ executor, resolveTenant, basePath: BASE, heartbeatMs: 0 })),
      );
      serviceB = listening;
      // Calls to service B go over the real loopback socket; anything else unscripted is an error.
      server.listen({ onUnhandledFrame: 'error' });
      server.use(http.all(`${listening.origin}/*`, () => passthrough()));
    },
    async teardown() {
      server.close();
      await serviceB?.close();
    },
    createAdapter: () =>
      remoteProvider({
        baseUrl: `${serviceB?.origin}${BASE}`,
        headers: { authorization: `Bearer ${SERVICE_TOKEN}` },
        tenantHeader: 'x-agentry-tenant',
        secrets: [SERVICE_TOKEN],
        stream,
      }),
  });
}

describeProviderContract(remoteHarness(true), vitest);
describeProviderContract(remoteHarness(false), vitest);
