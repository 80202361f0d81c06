// `executor.health()` (health.ts): each provider's check, bounded and redacted, and the overall
// status and live switch a status page shows.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentryError } from '../errors';
import { toSecret } from '../logging/secret';
import type { ProviderAdapter, ProviderHealth } from '../providers';
import { mockProvider } from '../providers/mock/mock-provider';
import { createExecutor } from './create-executor';

function provider(
  id: string,
  health?: ProviderAdapter['health'],
  extra: Partial<ProviderAdapter> = {},
): ProviderAdapter {
  return {
    specificationVersion: 'v1',
    id,
    execute: async () => ({ text: '', usage: null, finishReason: 'stop' }),
    ...(health === undefined ? {} : { health }),
    ...extra,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('executor.health()', () => {
  it('bounds each check at 2,000 ms by default, and tells the check through its signal', async () => {
    vi.useFakeTimers();
    // The clock is past 0, so a latency counted from 0 or added to the start would show.
    vi.advanceTimersByTime(5000);
    const signals: AbortSignal[] = [];
    const slow = provider('slow', ({ signal }) => {
      signals.push(signal);
      return new Promise<ProviderHealth>(() => {});
    });
    const executor = createExecutor({ providers: { slow } });
    let report: Awaited<ReturnType<typeof executor.health>> | undefined;
    void executor.health().then((value) => {
      report = value;
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(report).toBeUndefined();
    expect(signals[0]?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(report?.providers.slow).toMatchObject({
      status: 'down',
      configured: true,
      latencyMs: 2000,
      message: 'Health check timed out after 2000 ms.',
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops the checks when the caller's signal aborts, with its reason, and then lets go of the signal", async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const slow = provider('slow', () => new Promise<ProviderHealth>(() => {}));
    const executor = createExecutor({ providers: { slow } });
    const pending = executor.health({ signal: controller.signal, timeoutMs: 60_000 });
    controller.abort(new AgentryError('cancelled', 'The status page was closed.'));
    const report = await pending;
    expect(report.providers.slow).toMatchObject({ status: 'down', message: 'The status page was closed.' });
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('answers a provider without a check as ok, and leaves out the fields a check did not give', async () => {
    const executor = createExecutor({
      providers: {
        plain: provider('plain'),
        terse: provider('terse', async () => ({ status: 'ok', configured: true })),
      },
    });
    const report = await executor.health();
    expect(report.providers.plain).toEqual({ status: 'ok', configured: true, live: { available: true } });
    expect(report.providers.terse).toEqual({ status: 'ok', configured: true, live: { available: true } });
    expect(report.providers.mock).toEqual({ status: 'ok', configured: true, latencyMs: 0 });
    expect(report.status).toBe('ok');
    expect(report.live).toEqual({ enabled: true });
    expect(new Date(report.checkedAt).toISOString()).toBe(report.checkedAt);
  });

  it("redacts a check's own message", async () => {
    // Not shaped like any known key: only the provider's own `secrets` can redact it.
    const key = 'plain-provider-credential-4f7d';
    const keyed = provider(
      'keyed',
      async () => ({ status: 'degraded', configured: true, message: `quota for ${key} low` }),
      {
        secrets: [toSecret(key) as NonNullable<ReturnType<typeof toSecret>>],
      },
    );
    const report = await createExecutor({ providers: { keyed } }).health();
    expect(report.providers.keyed?.message).toBe('quota for [REDACTED] low');
    expect(report.status).toBe('degraded');
  });

  it('is down when the mock provider is not ok, degraded when another provider is not', async () => {
    const down = provider('down', async () => ({ status: 'down', configured: true }));
    const degraded = await createExecutor({ providers: { down } }).health();
    expect(degraded.status).toBe('degraded');
    const brokenMock = { ...mockProvider(), health: async () => ({ status: 'down' as const, configured: true }) };
    const report = await createExecutor({ providers: { mock: brokenMock } }).health();
    expect(report.status).toBe('down');
  });

  it("answers a per-tenant live switch for the caller's tenant", async () => {
    const live = { enabled: (tenant: { tenantId: string }) => tenant.tenantId === 'acme', reason: 'Not on your plan.' };
    const openai = provider('openai');
    const executor = createExecutor({ providers: { openai }, live });
    const acme = await executor.health({ tenant: { tenantId: 'acme' } });
    expect(acme.live).toEqual({ enabled: true });
    expect(acme.providers.openai?.live).toEqual({ available: true });
    const globex = await executor.health({ tenant: { tenantId: 'globex' } });
    expect(globex.live).toEqual({ enabled: false, reason: 'Not on your plan.' });
    expect(globex.providers.openai?.live).toEqual({ available: false, reason: 'Not on your plan.' });
    // Without a tenant the switch cannot be answered; each provider says what the configuration allows.
    const anyone = await executor.health();
    expect(anyone.live).toEqual({ enabled: 'per-tenant' });
    expect(anyone.providers.openai?.live).toEqual({ available: true });
  });
});

describe('executor.health(): what a check leaves behind', () => {
  it('clears its timer as soon as the checks answer', async () => {
    vi.useFakeTimers();
    const quick = provider('quick', async () => ({ status: 'ok', configured: true }));
    const report = await createExecutor({ providers: { quick } }).health({ timeoutMs: 60_000 });
    expect(report.status).toBe('ok');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('logs a check that throws with the provider it belongs to, and answers it generically', async () => {
    const lines: { event: string; fields: Record<string, unknown> | undefined }[] = [];
    const at = (event: string, fields?: Record<string, unknown>) => {
      lines.push({ event, fields });
    };
    const broken = provider('broken', async () => {
      throw new Error('dns for internal-host failed');
    });
    const report = await createExecutor({
      providers: { broken },
      logger: { debug: at, info: at, warn: at, error: at },
    }).health();
    expect(report.providers.broken).toMatchObject({
      status: 'down',
      configured: true,
      message: 'The "broken" provider\'s health check failed; the details are in the server log.',
    });
    const logged = lines.filter((line) => JSON.stringify(line).includes('internal-host'));
    expect(logged).toHaveLength(1);
    expect(logged[0]?.fields).toMatchObject({ site: 'health', provider: 'broken' });
  });
});
