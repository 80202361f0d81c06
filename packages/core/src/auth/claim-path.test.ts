import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClaimPath, readClaim } from './claim-path';

const key = fc.string({ minLength: 1, maxLength: 12 });
const plainKey = key.filter((value) => !value.includes('.'));

function nest(keys: readonly string[], value: unknown): unknown {
  return keys.reduceRight<unknown>((inner, name) => ({ [name]: inner }), value);
}

describe('claim paths', () => {
  it('a dotted string is split into keys; a URL-shaped name is one key; arrays are taken as they are', () => {
    expect(parseClaimPath('org_id', 'tenantClaim')).toEqual(['org_id']);
    expect(parseClaimPath('o.id', 'tenantClaim')).toEqual(['o', 'id']);
    expect(parseClaimPath('app_metadata.tenant_id', 'tenantClaim')).toEqual(['app_metadata', 'tenant_id']);
    expect(parseClaimPath('https://example.com/org_id', 'tenantClaim')).toEqual(['https://example.com/org_id']);
    expect(parseClaimPath(['https://example.com/app', 'org.id'], 'tenantClaim')).toEqual([
      'https://example.com/app',
      'org.id',
    ]);
  });

  it.each([[''], ['.org'], ['org.'], ['o..id'], [[]], [['']], [['a', 7]]])('refuses %j', (path) => {
    expect(() => parseClaimPath(path as never, 'tenantClaim')).toThrow(TypeError);
  });

  it('reads own properties of objects only: no prototype, no array index, no step through a non-object', () => {
    const claims = { o: { id: 'org_1' }, list: ['a'], text: 'abc', nothing: null };
    expect(readClaim(claims, ['o', 'id'])).toBe('org_1');
    expect(readClaim(claims, ['constructor'])).toBeUndefined();
    expect(readClaim(claims, ['__proto__'])).toBeUndefined();
    expect(readClaim(claims, ['o', 'toString'])).toBeUndefined();
    expect(readClaim(claims, ['list', '0'])).toBeUndefined();
    expect(readClaim(claims, ['text', 'length'])).toBeUndefined();
    expect(readClaim(claims, ['nothing', 'x'])).toBeUndefined();
    expect(readClaim(JSON.parse('{"__proto__":{"id":"x"}}'), ['__proto__', 'id'])).toBe('x');
  });

  it('property: a value nested under any keys is read back by those keys, and by its dotted form', () => {
    fc.assert(
      fc.property(fc.array(plainKey, { minLength: 1, maxLength: 5 }), fc.jsonValue(), (keys, value) => {
        const claims = JSON.parse(JSON.stringify(nest(keys, value) ?? null));
        const expected = JSON.parse(JSON.stringify(value ?? null));
        expect(readClaim(claims, parseClaimPath(keys, 'p'))).toEqual(expected);
        const dotted = keys.join('.');
        if (!dotted.includes('://')) expect(readClaim(claims, parseClaimPath(dotted, 'p'))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a string with "://" is always exactly one key', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (before, after) => {
        const path = `${before}://${after}`;
        expect(parseClaimPath(path, 'p')).toEqual([path]);
      }),
      { numRuns: 300 },
    );
  });

  it('property: reading never throws and never finds a key that is not an own property', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(key, { minLength: 1, maxLength: 4 }), (claims, keys) => {
        const found = readClaim(claims, keys);
        if (found !== undefined) {
          let current: unknown = claims;
          for (const name of keys) {
            expect(Object.hasOwn(current as object, name)).toBe(true);
            current = (current as Record<string, unknown>)[name];
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
