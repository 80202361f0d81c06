// What each published entry of @agentry/core loads, read from the built files (what npm users
// get): the root entry, /server, /client and /remote load no model SDK, no msw and no other
// package but zod, so a mock-only app needs none of them installed. (The outside-in test proves
// the same at run time, on Node 20, with the packages installed from their tarballs.)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/core/dist');

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\(\s*|\bimport\s+)["']([^"']+)["']/g;

/** The packages (bare specifiers) an entry file loads, following its own chunks. */
function packagesLoadedBy(entry: string): string[] {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier));
      else packages.add(specifier);
    }
  };
  visit(path.join(dist, entry));
  return [...packages].sort();
}

describe('the published entries of @agentry/core', () => {
  it.each([
    ['index.js', ['zod']],
    ['index.cjs', ['zod']],
    ['server.js', []],
    ['server.cjs', []],
    ['client.js', []],
    ['client.cjs', []],
    ['client-steps.js', []],
    ['client-steps.cjs', []],
    ['client-history.js', []],
    ['client-history.cjs', []],
    ['remote.js', []],
    ['remote.cjs', []],
    // The telemetry bridges: OpenTelemetry's API only (an optional peer); Sentry's SDK is passed in.
    ['otel.js', ['@opentelemetry/api']],
    ['otel.cjs', ['@opentelemetry/api']],
    ['sentry.js', []],
    ['sentry.cjs', []],
  ])('%s loads only %j', (entry, expected) => {
    expect(existsSync(path.join(dist, entry)), 'packages/core/dist is missing: run the build first').toBe(true);
    expect(packagesLoadedBy(entry)).toEqual(expected);
  });

  it('the SDK entries load their SDK, which is what the check above would catch elsewhere', () => {
    expect(packagesLoadedBy('openai.js')).toContain('openai');
    expect(packagesLoadedBy('anthropic.cjs')).toContain('@anthropic-ai/sdk');
  });
});
