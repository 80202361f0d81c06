import type { ExecutionEvent, ExecutionResult, LimitOptions } from '../executor/types';
import type { ContractReply } from './provider-contract-harness';

/** The assertions the suite uses; vitest's `expect` (and Jest's) provide them. */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toContain(expected: string): void;
  toBeGreaterThan(expected: number): void;
  readonly not: ContractAssertion;
}

/**
 * The test functions the suite registers its cases with. Pass vitest's module as is:
 * `import * as vitest from 'vitest'; describeProviderContract(harness, vitest)`.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): void;
  it: {
    (name: string, body: () => Promise<void>): void;
    skip(name: string, body: () => Promise<void>): void;
  };
  expect(actual: unknown): ContractAssertion;
  beforeAll(body: () => unknown): void;
  afterAll(body: () => unknown): void;
  afterEach(body: () => unknown): void;
  vi: {
    useFakeTimers(config?: { toFake?: string[] }): unknown;
    useRealTimers(): unknown;
    advanceTimersByTimeAsync(ms: number): Promise<unknown>;
  };
}

/** The status → error table every adapter follows (see `docs/providers.md`, "Errors"). */
export const EXPECTED_BY_STATUS: Record<number, { code: string; retryable: boolean }> = {
  400: { code: 'provider_error', retryable: false },
  401: { code: 'provider_auth_failed', retryable: false },
  403: { code: 'provider_auth_failed', retryable: false },
  404: { code: 'provider_error', retryable: false },
  408: { code: 'provider_error', retryable: true },
  409: { code: 'provider_error', retryable: true },
  429: { code: 'rate_limited', retryable: true },
  500: { code: 'provider_error', retryable: true },
  503: { code: 'provider_error', retryable: true },
};

export const tenant = { tenantId: 'contract_tenant', userId: 'contract_user' };
const backoff = { initialMs: 100, factor: 2, maxMs: 1000, jitter: 'none' } as const;
export const policy: LimitOptions = { maxRetries: 2, backoff, timeoutMs: { live: 30_000, mock: 30_000 } };

/** Lets I/O run (the imitated server, the client) without moving fake time. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 1000; turn += 1) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`provider contract: timed out waiting for ${what}`);
}

export function deltasOf(events: readonly ExecutionEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'output-delta' ? [event.delta] : []));
}

export function finalResult(events: readonly ExecutionEvent[]): ExecutionResult {
  const last = events.at(-1);
  if (last?.type !== 'execution-finish' && last?.type !== 'execution-error')
    throw new Error(`provider contract: the stream ended with ${last?.type ?? 'nothing'}, not a final record`);
  return last.result;
}

/** The parts of a record that must not depend on execute vs stream. */
export function comparable(result: ExecutionResult) {
  const { metrics } = result;
  return {
    status: result.status,
    output: result.output,
    error: result.status === 'succeeded' ? undefined : result.error.code,
    metrics: {
      provider: metrics.provider,
      model: metrics.model,
      inputTokens: metrics.inputTokens,
      outputTokens: metrics.outputTokens,
      costUsd: metrics.costUsd,
      attempts: metrics.attempts,
      finishReason: metrics.finishReason,
    },
  };
}

/** The answer a mock-mode agent gives: the first text or object in the script. */
export function scriptedAnswer(script: readonly ContractReply[]): unknown {
  for (const reply of script) {
    if (reply.type === 'text' || reply.type === 'stream-error') return reply.chunks.join('');
    if (reply.type === 'object') return reply.object;
  }
  return '';
}
