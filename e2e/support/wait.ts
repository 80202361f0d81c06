// The waits every e2e file uses: poll until a value matches (never a fixed sleep), wait for a
// locator to show, read a locator's text; and where screenshots go.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

/** Polls until the value matches: never a fixed sleep. */
export function poll<T>(read: () => Promise<T>): ReturnType<typeof expect.poll<T>> {
  return expect.poll(read, { timeout: 15_000, interval: 50 });
}
export const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
export const text = async (locator: Locator) => (await locator.textContent()) ?? '';

/** Screenshots go to test-results/ (ignored); `UPDATE_SCREENSHOTS=1` writes docs/images' copies. */
export const IMAGES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/images' : '../../test-results',
);
