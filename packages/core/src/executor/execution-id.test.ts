import { describe, expect, it, vi } from 'vitest';
import { newExecutionId } from './executor-context';

describe('newExecutionId', () => {
  it('answers exe_ and 32 hex digits, never the same twice across pool refills', () => {
    const ids = new Set<string>();
    for (let index = 0; index < 10_000; index += 1) {
      const id = newExecutionId();
      expect(id).toMatch(/^exe_[0-9a-f]{32}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(10_000);
  });

  it('draws its bits from Web Crypto, 256 ids per refill, and uses every bit (each hex digit varies)', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      const ids = Array.from({ length: 512 }, () => newExecutionId());
      expect(spy.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(3);
      for (let digit = 4; digit < 36; digit += 1) {
        expect(new Set(ids.map((id) => id[digit])).size).toBeGreaterThan(8);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('makes the same ids where there is no Buffer (a browser or an edge runtime)', async () => {
    vi.resetModules();
    vi.stubGlobal('Buffer', undefined);
    try {
      const { newExecutionId: withoutBuffer } = await import('./executor-context');
      const ids = new Set(Array.from({ length: 600 }, () => withoutBuffer()));
      expect(ids.size).toBe(600);
      for (const id of ids) expect(id).toMatch(/^exe_[0-9a-f]{32}$/);
      for (let digit = 4; digit < 36; digit += 1) {
        expect(new Set([...ids].map((id) => id[digit])).size).toBeGreaterThan(8);
      }
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
