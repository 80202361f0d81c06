// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

describe('the published bundle', () => {
  it.each(['index.js', 'index.cjs'])(
    "%s starts with 'use client', so React Server Components hosts can import it",
    (file) => {
      const target = path.join(dist, file);
      expect(existsSync(target), `${target} is missing: the test command builds first (pnpm run build)`).toBe(true);
      const firstLine = readFileSync(target, 'utf8').split('\n')[0];
      expect(firstLine).toBe("'use client';");
    },
  );
});
