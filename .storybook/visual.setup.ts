// Visual snapshots (storybook project, `setupFiles`): after a key story's play function has
// reached its state, the panel is compared with a committed PNG baseline in
// packages/react/test/visual/baselines/ (pixelmatch, see `VISUAL_OPTIONS`). A CSS regression then
// fails `pnpm test`. Rewrite the baselines with `pnpm test:visual:update`; see docs/storybook.md.
import { afterEach, expect } from 'vitest';
import { page } from 'vitest/browser';

/** Story file (basename) → story test name → snapshot name and viewport width in CSS pixels. */
const VISUAL: Record<string, Record<string, { name: string; width: number }>> = {
  'test-panel.stories.tsx': {
    Empty: { name: 'panel-idle', width: 1280 },
    'Succeeded With Metrics': { name: 'panel-succeeded-metrics', width: 1280 },
    'Loading Agents': { name: 'panel-loading-agents', width: 1280 },
    'Live Disabled': { name: 'panel-live-unavailable', width: 1280 },
    Dark: { name: 'panel-dark', width: 1280 },
    Mobile: { name: 'panel-360', width: 360 },
  },
  'test-panel-errors.stories.tsx': {
    'Provider Error': { name: 'panel-provider-error', width: 1280 },
  },
  'tool-steps.stories.tsx': {
    Finished: { name: 'steps-finished', width: 1280 },
  },
  'output-view.stories.tsx': {
    'Invalid Output Fields Marked': { name: 'output-invalid-fields', width: 1280 },
  },
};

/** Up to 0.5 % of the pixels may differ (anti-aliasing), each by pixelmatch's colour threshold 0.1. */
export const VISUAL_OPTIONS = {
  comparatorName: 'pixelmatch',
  comparatorOptions: { threshold: 0.1, allowedMismatchedPixelRatio: 0.005 },
} as const;

// Fixed fonts (Debian's fonts-liberation), no animations, transitions or carets.
const FREEZE = `
  [data-agentry], [data-agentry] * {
    --agentry-font: "Liberation Sans", sans-serif !important;
    --agentry-font-mono: "Liberation Mono", monospace !important;
  }
  *, *::before, *::after {
    animation: none !important;
    transition: none !important;
    caret-color: transparent !important;
  }
`;

// Wall-clock times (run history's "07:44:40 PM") change every run: frozen to one value.
const CLOCK_TIME = /\b\d{1,2}:\d{2}:\d{2}(\s?[AP]M)?/g;
function freezeClockTimes(root: Element): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue && CLOCK_TIME.test(node.nodeValue))
      node.nodeValue = node.nodeValue.replace(CLOCK_TIME, '12:00:00 PM');
    CLOCK_TIME.lastIndex = 0;
    // Measured durations ("1.33 s", "0.20 s") come from a real timed run: frozen too.
    if (node.nodeValue) node.nodeValue = node.nodeValue.replace(/\b\d+(\.\d+)? s\b/g, '1.00 s');
  }
}

afterEach(async ({ task }) => {
  const file = task.file.name.split('/').pop() ?? '';
  const shot = VISUAL[file]?.[task.name];
  if (!shot || task.result?.state === 'fail') return;
  const style = document.createElement('style');
  style.textContent = FREEZE;
  document.head.append(style);
  try {
    await page.viewport(shot.width, 900);
    await document.fonts.ready;
    const root = document.querySelector('[data-agentry]') ?? document.body;
    freezeClockTimes(root);
    await expect.element(page.elementLocator(root)).toMatchScreenshot(shot.name, VISUAL_OPTIONS);
  } finally {
    style.remove();
  }
});
