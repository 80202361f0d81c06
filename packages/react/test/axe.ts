import axe from 'axe-core';
import { expect } from 'vitest';

// Captured before any test fakes timers: axe schedules its work with setTimeout and
// would wait forever on fake timers, while advancing them would move the run on.
const realTimers = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };

/** Runs axe on a rendered container. Colour contrast is checked in Chromium by the story tests: jsdom cannot compute it. */
export async function expectNoAxeViolations(container: Element): Promise<void> {
  const faked = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
  Object.assign(globalThis, realTimers);
  let results: axe.AxeResults;
  try {
    results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
  } finally {
    Object.assign(globalThis, faked);
  }
  const summary = results.violations.map((violation) => ({
    id: violation.id,
    nodes: violation.nodes.map((node) => node.html).slice(0, 3),
  }));
  expect(summary).toEqual([]);
}
