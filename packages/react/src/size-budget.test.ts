// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { BUDGET_BYTES, measureTestPanelBundle } from '../../../bench/size.mjs';

// Everything <TestPanel> pulls into a browser bundle besides React: the panel, the hook,
// the core client (ky), the JSON Schema validator and the error table.
describe('TestPanel bundle size', () => {
  it(`stays within ${BUDGET_BYTES / 1000} kB min+gzip and ships no zod`, async () => {
    const report = await measureTestPanelBundle();
    expect(report.inputs.filter((input) => /(^|\/)zod\//.test(input))).toEqual([]);
    expect(report.inputs.some((input) => input.includes('core/src/client'))).toBe(true);
    expect(report.inputs.some((input) => input.includes('react/src/test-panel/test-panel.tsx'))).toBe(true);
    expect(report.gzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
