// `limit` on an error: the fact a UI states ("the limit is 30 s") instead of parsing a message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../agent';
import { createExecutor } from '../executor/create-executor';
import { problemToError, toProblem } from '../protocol/problem';
import type { ProviderAdapter } from '../providers';
import { AgentryError, deserializeError, serializeError } from './agentry-error';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

describe('AgentryError limit', () => {
  it('survives serialize → problem document → error', () => {
    const error = new AgentryError('timeout', 'late', { limit: { kind: 'total_time', value: 30_000, unit: 'ms' } });
    expect(serializeError(error).limit).toEqual({ kind: 'total_time', value: 30_000, unit: 'ms' });
    const problem = JSON.parse(JSON.stringify(toProblem(error)));
    expect(problemToError(problem).limit).toEqual({ kind: 'total_time', value: 30_000, unit: 'ms' });
  });

  it('drops a malformed limit from the wire instead of stating a wrong fact', () => {
    fc.assert(
      fc.property(fc.anything(), (limit) => {
        const revived = deserializeError({
          code: 'timeout',
          message: 'late',
          userMessage: 'late',
          retryable: true,
          status: 504,
          limit,
        } as never);
        if (revived.limit === undefined) return;
        expect(['total_time', 'first_output_time', 'idle_time', 'input_size', 'concurrent_runs']).toContain(
          revived.limit.kind,
        );
        expect(['ms', 'bytes', 'runs']).toContain(revived.limit.unit);
        expect(Number.isFinite(revived.limit.value)).toBe(true);
        expect(Object.keys(revived.limit).sort()).toEqual(['kind', 'unit', 'value']);
      }),
    );
    const extra = deserializeError({
      code: 'timeout',
      message: 'late',
      limit: { kind: 'total_time', value: 5, unit: 'ms', note: '<script>' },
    } as never);
    expect(extra.limit).toEqual({ kind: 'total_time', value: 5, unit: 'ms' });
  });
});

describe('the executor states the limit it enforced', () => {
  const hanging: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'slow',
    execute: (_request, { signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
  };
  const agent = defineAgent({
    id: 'slow',
    name: 'Slow',
    input: z.object({ q: z.string() }),
    model: { provider: 'slow', model: 'm' },
    prompt: ({ q }) => q,
  });

  it('timeout: the total time limit in ms', async () => {
    const executor = createExecutor({
      agents: [agent],
      providers: { slow: hanging },
      limits: { timeoutMs: { live: 30 }, maxRetries: 0 },
    });
    const result = await executor.forTenant(tenant).execute({ agentId: 'slow', input: { q: 'x' }, mode: 'live' });
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error).toMatchObject({
      code: 'timeout',
      limit: { kind: 'total_time', value: 30, unit: 'ms' },
    });
  });

  it('input_too_large: the size limit in bytes', async () => {
    const executor = createExecutor({ agents: [agent], providers: { slow: hanging }, limits: { maxInputBytes: 64 } });
    const run = executor.forTenant(tenant).execute({ agentId: 'slow', input: { q: 'x'.repeat(100) }, mode: 'mock' });
    await expect(run).rejects.toMatchObject({
      code: 'input_too_large',
      limit: { kind: 'input_size', value: 64, unit: 'bytes' },
    });
  });
});
