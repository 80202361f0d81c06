// Shared by the tapes tests: a request, a context, and ways to collect a provider's answers.
import { type AgentryError, isAgentryError } from '../errors';
import { silentLogger } from '../logging';
import type { ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest } from '../providers';

export const TENANT_A = { tenantId: 'ws_a', userId: 'user_a' };
export const TENANT_B = { tenantId: 'ws_b', userId: 'user_b' };

export function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    agentId: 'summarize',
    input: { text: 'The quick brown fox.' },
    messages: [
      { role: 'system', content: 'Summarize in five words.' },
      { role: 'user', content: 'The quick brown fox.' },
    ],
    model: 'gpt-4.1-mini',
    maxOutputTokens: 64,
    executionId: 'exe_1',
    attempt: 1,
    providerOptions: { mock: { agentName: 'Summarize', hasOutputSchema: false, mock: () => 'x' } },
    ...overrides,
  };
}

export function context(
  tenant = TENANT_A,
  signal: AbortSignal = new AbortController().signal,
  logger = silentLogger,
): ProviderContext {
  return { signal, tenant, logger };
}

export async function collect(
  provider: ProviderAdapter,
  providerRequest: ProviderRequest,
  providerContext: ProviderContext = context(),
): Promise<ProviderEvent[]> {
  const events: ProviderEvent[] = [];
  for await (const event of (provider.stream as NonNullable<ProviderAdapter['stream']>)(
    providerRequest,
    providerContext,
  ))
    events.push(event);
  return events;
}

export async function failure(promise: Promise<unknown>): Promise<AgentryError> {
  try {
    await promise;
  } catch (error) {
    if (isAgentryError(error)) return error;
    throw new Error(`expected an AgentryError, got ${String(error)}`);
  }
  throw new Error('expected the call to fail');
}
