/**
 * Where a claim lives in a token's payload.
 *
 * - A **string** is split on `.` into keys: `'org_id'`, `'o.id'`, `'app_metadata.tenant_id'`.
 *   Exception: a string that contains `://` is **one** key, never split, because namespaced
 *   claims are URLs full of dots: `'https://example.com/org_id'` names the top-level claim of that
 *   name.
 * - An **array** is the keys themselves, for anything the string form cannot say: a key with a
 *   dot (`['tenant.id']`), or a value inside a namespaced object
 *   (`['https://example.com/app', 'org_id']`).
 *
 * Each key is looked up as an own property of a JSON object; arrays are not indexed, and a
 * missing key (or a value that is not an object on the way) means the claim is absent.
 * @example 'o.id'
 * @example 'https://example.com/org_id'
 * @example ['https://example.com/app', 'org_id']
 */
export type ClaimPath = string | readonly string[];

/** A claim path as its keys, checked once when the resolver is created. */
export type ClaimKeys = readonly string[];

/** Splits and checks a {@link ClaimPath}; throws a `TypeError` naming `option` when it is unusable. */
export function parseClaimPath(path: ClaimPath, option: string): ClaimKeys {
  if (typeof path === 'string') {
    if (path === '') throw new TypeError(`${option} must not be empty: name the claim, e.g. 'org_id' or 'o.id'.`);
    if (path.includes('://')) return [path];
    const keys = path.split('.');
    if (keys.some((key) => key === '')) {
      throw new TypeError(
        `${option} "${path}" has an empty key (a leading, trailing or doubled dot). For a key that contains a dot, use the array form: ['${path}'].`,
      );
    }
    return keys;
  }
  if (!Array.isArray(path) || path.length === 0) {
    throw new TypeError(`${option} must be a claim name ('org_id'), a dotted path ('o.id') or an array of keys.`);
  }
  for (const key of path) {
    if (typeof key !== 'string' || key === '') {
      throw new TypeError(`${option} must hold non-empty strings only (got ${JSON.stringify(path)}).`);
    }
  }
  return [...path];
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `keys` in `claims`, or `undefined` when any step is missing or not an object. */
export function readClaim(claims: unknown, keys: ClaimKeys): unknown {
  let current: unknown = claims;
  for (const key of keys) {
    // Own properties only: `constructor` or `__proto__` never reach Object.prototype.
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}
