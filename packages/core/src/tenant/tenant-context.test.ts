// The tenant check every execution and history read goes through, and the ownership rule.
// fast-check prints the seed and the shrunk counterexample when a property fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAgentryError } from '../errors';
import { assertTenant, canAccess, type TenantContext } from './tenant-context';

function refusal(value: unknown): unknown {
  try {
    assertTenant(value as TenantContext);
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Anything a session, a JWT claim or a JSON body could hand over as a tenant. */
const anything = fc.oneof(
  fc.constantFrom(null, undefined, '', 'acme', 0, 1, true, false, [], ['acme'], () => 'acme'),
  fc.anything(),
  fc.record({ tenantId: fc.oneof(fc.string(), fc.anything()) }, { requiredKeys: [] }),
);

describe('assertTenant', () => {
  it('accepts a tenant with a tenant id that is not blank', () => {
    expect(refusal({ tenantId: 'acme' })).toBeUndefined();
    expect(refusal({ tenantId: ' acme ', userId: 'alice', roles: ['admin'] })).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'acme'],
    ['a number', 7],
    ['an object without a tenant id', { userId: 'alice' }],
    ['a tenant id that is not a string', { tenantId: 7 }],
    ['an empty tenant id', { tenantId: '' }],
    ['a blank tenant id', { tenantId: ' \t\n' }],
    ['a function carrying a tenant id', Object.assign(() => undefined, { tenantId: 'acme' })],
  ])('refuses %s with tenant_required, saying what to pass', (_, value) => {
    const error = refusal(value);
    expect(isAgentryError(error) && error.code).toBe('tenant_required');
    expect((error as Error).message).toBe('A tenant is required: pass `tenant: { tenantId, userId }`.');
  });

  it('for any value: accepted exactly when it is an object with a tenant id that is a string with a non-blank character (fast-check)', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const valid =
          typeof value === 'object' &&
          value !== null &&
          typeof (value as { tenantId?: unknown }).tenantId === 'string' &&
          (value as { tenantId: string }).tenantId.trim() !== '';
        const error = refusal(value);
        if (valid) expect(error).toBeUndefined();
        else expect(isAgentryError(error) && error.code).toBe('tenant_required');
      }),
    );
  });
});

describe('canAccess', () => {
  it('a resource without an owner is shared; an owned one is seen by its owner alone (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (owner, asking) => {
        const tenant = { tenantId: asking };
        expect(canAccess(undefined, tenant)).toBe(true);
        expect(canAccess(owner, tenant)).toBe(owner === asking);
        expect(canAccess(asking, tenant)).toBe(true);
      }),
    );
  });

  it('near misses are other tenants', () => {
    expect(canAccess('acme', { tenantId: 'ACME' })).toBe(false);
    expect(canAccess('acme', { tenantId: 'acme ' })).toBe(false);
    expect(canAccess('', { tenantId: 'acme' })).toBe(false);
  });
});
