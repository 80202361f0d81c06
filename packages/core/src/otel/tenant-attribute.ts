import { sha256Hex } from './sha256';

/**
 * How the tenant id appears in telemetry (`agentry.tenant.id`):
 * - `plain`: as it is;
 * - `sha256`: the hex SHA-256 of `tenantIdSalt + tenantId`, so a backend can group by tenant
 *   without learning who the tenant is;
 * - `omit`: not at all;
 * - a function: its result (a function that throws omits the attribute).
 */
export type TenantIdPolicy = 'plain' | 'sha256' | 'omit' | ((tenantId: string) => string);

const CACHE_LIMIT = 1000;

/** The tenant id as the policy wants it recorded, or `undefined` to leave it out. */
export function createTenantAttribute(policy: TenantIdPolicy, salt: string): (tenantId: string) => string | undefined {
  if (policy === 'plain') return (tenantId) => tenantId;
  if (policy === 'omit') return () => undefined;
  if (typeof policy === 'function') {
    return (tenantId) => {
      try {
        const value: unknown = policy(tenantId);
        return typeof value === 'string' ? value : undefined;
      } catch {
        return undefined;
      }
    };
  }
  if (policy !== 'sha256') {
    throw new TypeError(
      `createAgentryTelemetry: \`tenantId\` must be 'plain', 'sha256', 'omit' or a function, got ${JSON.stringify(policy)}.`,
    );
  }
  // A run hashes its tenant several times (one per span); tenants are few, so keep the digests.
  const digests = new Map<string, string>();
  return (tenantId) => {
    let digest = digests.get(tenantId);
    if (digest === undefined) {
      if (digests.size >= CACHE_LIMIT) digests.clear();
      digest = sha256Hex(salt + tenantId);
      digests.set(tenantId, digest);
    }
    return digest;
  };
}
