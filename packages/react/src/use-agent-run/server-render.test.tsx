// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

// Bundled with esbuild and loaded in plain Node (no window, no document), the way a
// Next.js server would load the package, so "SSR-safe" is checked for real.
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workDir = mkdtempSync(path.join(tmpdir(), 'agentry-ssr-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const entry = `
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { TestPanel, useAgentRun } from './src/index';
import { createTestExecutor } from './test/agents';

function Status() {
  const executor = createTestExecutor();
  const { status, agentsStatus } = useAgentRun({ executor, agentId: 'summarize' });
  return createElement('p', null, status + '/' + agentsStatus);
}

export const hadWindow = typeof window !== 'undefined' || typeof document !== 'undefined';
export function renderPanel() {
  return renderToString(createElement(TestPanel, { executor: createTestExecutor(), agentId: 'summarize', theme: 'system' }));
}
export function renderStatus() {
  return renderToString(createElement(Status));
}
`;

async function load() {
  const result = await build({
    stdin: { contents: entry, resolveDir: packageDir, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    conditions: ['@agentry/source'],
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const file = path.join(workDir, 'ssr.cjs');
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  return createRequire(import.meta.url)(file) as {
    hadWindow: boolean;
    renderPanel(): string;
    renderStatus(): string;
  };
}

describe('server rendering', () => {
  it('imports and renders in Node without window or document', async () => {
    const ssr = await load();
    expect(ssr.hadWindow).toBe(false);
    const html = ssr.renderPanel();
    expect(html).toContain('data-agentry=""');
    expect(html).toContain('data-theme="system"');
    expect(html).toContain('data-state="loading"');
    expect(html).toContain('Loading agents…');
    expect(ssr.renderStatus()).toBe('<p>idle/idle</p>');
  });
});
