// Tapes in tests: the one switch (`AGENTRY_TAPES`) and a folder next to the test file.
//
// The recipe (vitest):
//   const openai = withTapes(openaiProvider({ apiKey: process.env.OPENAI_API_KEY ?? 'unset' }), {
//     dir: tapeDirectory(import.meta.url), speed: 0,
//   });
//   const executor = createExecutor({ agents, providers: { openai } });
//   it('summarizes', async () => { expect(await executor.execute({ …, mode: 'live', tenant })).toMatchObject(…) });
// Run `AGENTRY_TAPES=record vitest run that.test.ts` once with a key, commit the tapes; CI replays
// them (AGENTRY_TAPES unset = replay; a request without a recording fails with the diff).

export type { TapeMode, WithTapesOptions } from '../tapes';
export { createMemoryTapeStore, readTapeMode, withTapes } from '../tapes';

/**
 * The folder for a test file's tapes: `<the test file's folder>/<name>` (from `import.meta.url`).
 * @example withTapes(provider, { dir: tapeDirectory(import.meta.url) }) // → ./__tapes__
 */
export function tapeDirectory(testFileUrl: string | URL, name = '__tapes__'): string {
  const url = new URL(`${name.replace(/\/+$/, '')}/`, testFileUrl);
  if (url.protocol !== 'file:') {
    throw new TypeError(`tapeDirectory: pass import.meta.url of a test file (a file: URL), got ${url.protocol} URL.`);
  }
  // As fileURLToPath, without loading node:url (this entry loads anywhere msw does).
  const path = decodeURIComponent(url.pathname).replace(/\/$/, '');
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}
