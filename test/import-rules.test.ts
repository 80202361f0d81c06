// The layout rules of docs/contributing.md ("Layout and import rules"), checked on the real tree
// and, so that the checker itself can fail, on small made-up graphs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { findCycles, findLayerViolations, importGraph, LAYER_RULES } from '../scripts/check-cycles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const core = (file: string) => path.join(root, 'packages/core/src', file);
type Graph = Map<string, string[]>;
const graphOf = (edges: Record<string, string[]>): Graph =>
  new Map(Object.entries(edges).map(([file, targets]) => [core(file), targets.map(core)]));

describe('the import rules of packages/*/src', () => {
  it('hold for the tree as it is: no cycle, no import across a layer rule', () => {
    const graph: Graph = importGraph();
    expect(findCycles(graph)).toEqual([]);
    expect(findLayerViolations(graph)).toEqual([]);
  });

  it('find a cycle, type-only or not, through any number of files', () => {
    const graph = graphOf({
      'executor/types.ts': ['store/index.ts'],
      'store/index.ts': ['store/execution-store.ts'],
      'store/execution-store.ts': ['executor/types.ts'],
      'protocol/index.ts': [],
    });
    expect(findCycles(graph)).toEqual([
      [core('executor/types.ts'), core('store/index.ts'), core('store/execution-store.ts')],
    ]);
  });

  it('refuse the imports the layout forbids: server ↔ client, protocol → executor, anything → testing', () => {
    const graph = graphOf({
      'server/create-handler.ts': ['client/index.ts', 'protocol/index.ts'],
      'client/create-client.ts': ['server/index.ts'],
      'protocol/execution-record.ts': ['executor/types.ts'],
      'store/memory-store.ts': ['testing/index.ts'],
      'providers/remote/remote-provider.ts': ['client/index.ts'],
      'index.ts': ['testing/index.ts', 'executor/index.ts'],
    });
    const broken = findLayerViolations(graph).map(
      (violation: { from: string; to: string }) =>
        `${path.relative(core(''), violation.from)} → ${path.relative(core(''), violation.to)}`,
    );
    expect(broken.sort()).toEqual(
      [
        'client/create-client.ts → server/index.ts',
        'index.ts → testing/index.ts',
        'protocol/execution-record.ts → executor/types.ts',
        'providers/remote/remote-provider.ts → client/index.ts',
        'server/create-handler.ts → client/index.ts',
        'store/memory-store.ts → testing/index.ts',
      ].sort(),
    );
  });

  it('ask for a rule for a new folder', () => {
    const violations = findLayerViolations(graphOf({ 'plugins/thing.ts': ['errors/index.ts'] }));
    expect(violations).toHaveLength(1);
    expect(violations[0].rule).toContain('has no layer rule');
  });

  it('name no folder in a rule that does not exist, and let nothing but tests import testing/', () => {
    const folders = new Set(Object.keys(LAYER_RULES));
    for (const [folder, allowed] of Object.entries(LAYER_RULES as Record<string, string[]>)) {
      for (const name of allowed) expect(folders.has(name), `${folder} → ${name}`).toBe(true);
      if (folder !== 'testing') expect(allowed).not.toContain('testing');
    }
  });
});
