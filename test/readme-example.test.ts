import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(root, 'test', '.readme-example.generated.ts');

afterAll(() => rmSync(example, { force: true }));

it("the README's quick start runs as written and prints what it says", async () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'README has a ```ts block under "## Quick start"').toBeDefined();
  expect((code as string).trim().split('\n').length).toBeLessThanOrEqual(25);
  writeFileSync(example, code as string);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  await import(/* @vite-ignore */ example);
  const printed = log.mock.calls.map((call) => call[0]);
  log.mockRestore();
  // One JSON log line from jsonLogger, then the output the comment promises.
  expect(JSON.parse(String(printed[0]))).toMatchObject({
    event: 'agentry.execution.completed',
    tenant_id: 'ws_123',
    user_id: 'user_9',
    agent_id: 'classify-ticket',
    status: 'succeeded',
  });
  expect(printed[1]).toEqual({ category: 'billing', urgent: true });
});
