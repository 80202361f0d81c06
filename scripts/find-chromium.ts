import { existsSync } from 'node:fs';

/** Where a Chromium for browser tests is, or `undefined`. `CHROMIUM_PATH` wins; then Debian's paths. */
export function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate !== '' && existsSync(candidate),
  );
}

/** Chromium launch flags for this sandboxed, offline machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Decides whether browser tests run. Without a browser they are skipped with a loud
 * warning locally, and fail under CI (`CI=true`), where a skip would hide a regression.
 */
export function requireChromium(): string | undefined {
  const found = findChromium();
  if (found) return found;
  const message =
    'No Chromium found (looked at $CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome).';
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${message} Browser tests are required under CI: install it with "apt-get install -y chromium".`);
  }
  const bar = '!'.repeat(100);
  console.warn(
    `\n${bar}\n!! SKIPPING BROWSER TESTS (Storybook stories, end-to-end): ${message}\n!! Install it with "sudo apt-get install -y chromium fonts-liberation" or set CHROMIUM_PATH.\n${bar}\n`,
  );
  return undefined;
}
