// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, measureTestPanelBundle } from '../../../bench/size.mjs';

// Everything <TestPanel> pulls into a browser bundle besides React: the panel, the hook, the core
// client and the error table; the input checks, error copy, tree, snippets and form are lazy chunks.
describe('TestPanel bundle size', () => {
  it(`stays within ${BUDGET_BYTES / 1000} kB min+gzip and ships no zod`, async () => {
    const report = await measureTestPanelBundle();
    expect(report.inputs.filter((input) => /(^|\/)zod\//.test(input))).toEqual([]);
    expect(report.inputs.some((input) => input.includes('core/src/client'))).toBe(true);
    expect(report.inputs.some((input) => input.includes('react/src/test-panel/test-panel.tsx'))).toBe(true);
    expect(report.gzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps the parts only some runs need out of the initial chunk', async () => {
    const report = await measureTestPanelBundle();
    const lazy = [
      'core/src/validation/json-schema.ts',
      'core/src/validation/json-scanner.ts',
      'react/src/test-panel/error-copy.ts',
      'react/src/test-panel/json-tree.tsx',
      'react/src/test-panel/snippets.ts',
      'react/src/test-panel/input/json-highlight.ts',
      'react/src/test-panel/input/text-window.ts',
      'react/src/test-panel/input/window-controller.ts',
      'react/src/test-panel/input/schema-form.tsx',
    ];
    for (const file of lazy) {
      expect(report.inputs.filter((input) => input.endsWith(file))).toEqual([]);
      expect(report.lazyChunks.some((chunk) => chunk.inputs.some((input) => input.endsWith(file)))).toBe(true);
    }
  });
});
