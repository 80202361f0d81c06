import { describe, expect, it } from 'vitest';
import { createRedactor } from '../logging';
import type { HealthReport } from '../protocol';
import { recordingLogger, request } from './handler-parts.test-support';
import { anonymousHealth, createHealthRoute } from './health-route';
import { createResponder } from './responses';
import { createTenantResolution } from './tenant-resolution';

describe('the health route', () => {
  const report: HealthReport = {
    status: 'down',
    live: { enabled: true },
    providers: { openai: { status: 'down', configured: true, latencyMs: 12, message: 'db.internal:5432 refused' } },
    checkedAt: '2026-12-03T10:00:00.000Z',
  };

  it("keeps statuses and timings for anonymous callers, not the providers' messages", () => {
    expect(anonymousHealth(report).providers.openai).toEqual({ status: 'down', configured: true, latencyMs: 12 });
  });

  it('answers 503 when down; the full report only to a recognised tenant', async () => {
    const { logger } = recordingLogger();
    const responder = createResponder(createRedactor(), logger);
    const route = (tenant: { tenantId: string } | null) =>
      createHealthRoute({
        executor: { health: async () => report },
        healthAccess: 'public',
        tenants: createTenantResolution(() => tenant, logger),
        responder,
      });
    const anonymous = await route(null)(request('/health'), {});
    expect(anonymous.status).toBe(503);
    expect(await anonymous.text()).not.toContain('db.internal');
    expect(await (await route({ tenantId: 'acme' })(request('/health'), {})).text()).toContain('db.internal');
  });
});
