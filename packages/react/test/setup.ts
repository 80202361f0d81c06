import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeAll, vi } from 'vitest';
import { loadInputChecks } from '../../core/src/client/run-store/input-checks';
import { errorCopyModule, jsonHighlightModule, jsonTreeModule, snippetsModule } from '../src/test-panel/lazy-parts';

// Testing Library recognises fake timers only through a `jest` global: without it, its
// async wrapper (used by user-event) waits on a faked setTimeout(0) that never fires.
Object.assign(globalThis, { jest: { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) } });

// The panel's on-demand chunks (the input checks, the error copy, the tree, the snippets, the
// JSON colours) load with real I/O, which fake timers cannot advance: loaded up front here, as a
// page has them shortly after the panel mounts. lazy-parts.test.tsx covers the moments before.
beforeAll(async () => {
  await Promise.all([
    loadInputChecks(),
    errorCopyModule.load(),
    jsonHighlightModule.load(),
    jsonTreeModule.load(),
    snippetsModule.load(),
  ]);
});

afterEach(() => {
  cleanup();
});
