import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import { recordingLogger, request } from './handler-parts.test-support';
import { createTenantResolution } from './tenant-resolution';

describe('createTenantResolution', () => {
  it('answers the tenant, or tenant_required when the resolver finds none or throws (logged)', async () => {
    const { logger, lines } = recordingLogger();
    const acme = { tenantId: 'acme' };
    const found = createTenantResolution(() => acme, logger);
    await expect(found.required(request())).resolves.toEqual(acme);
    await expect(createTenantResolution(() => null, logger).required(request())).rejects.toMatchObject({
      code: 'tenant_required',
    });
    const throwing = createTenantResolution(() => {
      throw new Error('jwt expired');
    }, logger);
    await expect(throwing.required(request())).rejects.toMatchObject({ code: 'tenant_required' });
    expect(lines.map((line) => line.event)).toEqual(['agentry.server.resolve_tenant_failed']);
    await expect(throwing.optional(request())).resolves.toBeUndefined();
  });

  it("passes the resolver's own AgentryError through, and refuses a malformed tenant", async () => {
    const { logger } = recordingLogger();
    const unavailable = createTenantResolution(() => {
      throw new AgentryError('auth_unavailable', 'JWKS unreachable.');
    }, logger);
    await expect(unavailable.required(request())).rejects.toMatchObject({ code: 'auth_unavailable' });
    const malformed = createTenantResolution(() => ({ tenantId: '' }), logger);
    await expect(malformed.required(request())).rejects.toBeInstanceOf(AgentryError);
    await expect(malformed.optional(request())).resolves.toBeUndefined();
  });
});
