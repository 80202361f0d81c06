import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

it('docs/api.md matches the public exports and their TSDoc (regenerate with node scripts/api-reference.mjs)', () => {
  const output = execFileSync(process.execPath, [path.join(root, 'scripts/api-reference.mjs'), '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(output).toContain('docs/api.md is up to date.');
}, 60_000);
