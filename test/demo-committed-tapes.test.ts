// The demo's committed tapes (examples/demo/tapes): recorded the way a user records them, by the
// demo's own record path (`pnpm demo` with a key: AGENTRY_TAPES=record, the real OpenAI adapter)
// with msw at the wire sending a real recorded response body (sources in
// packages/core/test/fixtures/README.md); checked against the tape format; replayed by the demo
// without a key. Re-record: AGENTRY_TAPES=record vitest run --project unit <this file>.
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ExecutionResult } from '@agentry/core';
import { createDirectoryTapeStore, parseTapeFile, readTapeMode, type TapeEntry } from '@agentry/core/tapes';
import { createOpenAIMock } from '@agentry/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDemoServer } from '../examples/demo/src/server/create-demo-server';
import type { DemoEnvironment } from '../examples/demo/src/server/live-config';
import { listen } from './verify/verify-support';

const TAPES = fileURLToPath(new URL('../examples/demo/tapes', import.meta.url));
const FIXTURES = new URL('../packages/core/test/fixtures/', import.meta.url);
const KEY = 'sk-proj-demotapes0123456789abcdefSECRET';

/** What the committed tapes hold: a run of the demo, and the real wire recording that answered it. */
const RECORDED_RUNS = [
  {
    tenantId: 'acme',
    agentId: 'summarize',
    input: {
      text:
        'London is the capital of the United Kingdom and of England. It stands on the River Thames in the ' +
        "south-east of England and is the seat of the UK's government and Parliament. With about nine million " +
        'people it is also the largest city in the country.',
      style: 'brief',
    },
    wire: 'openai/chat-completion-stream-include-usage.sse',
    output: 'The capital of the UK is London.',
  },
] as const;

const openai = createOpenAIMock();
// The demo's own loopback requests pass; only the provider's API is imitated.
const wire = setupServer(...openai.handlers);
const folders: string[] = [];
const temporary = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agentry-demo-committed-tapes-'));
  folders.push(dir);
  return dir;
};
let assets: string;

beforeAll(() => {
  wire.listen({
    onUnhandledFrame: ({ frame, defaults }) => {
      const { request } = frame.data as { request?: Request };
      if (!request || new URL(request.url).hostname !== '127.0.0.1') defaults.error();
    },
  });
  assets = temporary();
  // The demo serves its browser bundle; these tests never load the page, so placeholders do.
  writeFileSync(path.join(assets, 'app.js'), '');
  writeFileSync(path.join(assets, 'app.css'), '');
});
afterEach(() => openai.reset());
afterAll(() => {
  wire.close();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The demo started with `environment`, and a session switched to `tenantId`, as the page gets one. */
async function demoIn(environment: DemoEnvironment, tenantId: string) {
  const logs: string[] = [];
  const { server, liveSummary } = await createDemoServer({
    assetsDirectory: pathToFileURL(`${assets}/`),
    environment,
    write: (line) => logs.push(line),
  });
  const loopback = await listen(server);
  const first = await fetch(`${loopback.url}/`);
  const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
  await first.body?.cancel();
  const switched = await fetch(`${loopback.url}/demo/session`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId }),
  });
  expect(switched.status).toBe(200);
  await switched.body?.cancel();
  return {
    liveSummary,
    logs,
    close: loopback.close,
    /** A live run through the demo's HTTP API, streamed as the TestPanel starts one; its final record. */
    async runLive(agentId: string, input: unknown): Promise<ExecutionResult> {
      const response = await fetch(`${loopback.url}/api/agentry/agents/${agentId}/executions`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ input, mode: 'live' }),
      });
      expect(response.status).toBe(200);
      const events = (await response.text())
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)) as { type: string; result?: ExecutionResult });
      // A run ends with `execution-finish`, or `execution-error` (which carries the record too).
      const finish = events.find((event) => event.type === 'execution-finish' || event.type === 'execution-error');
      if (!finish?.result) throw new Error(`The stream did not finish: ${JSON.stringify(events.at(-1))}`);
      return finish.result;
    },
  };
}

/** The recorded body as the server sent it, one SSE event per chunk. */
const sseChunks = (text: string) => text.split(/(?<=\n\n)/);
/** Realistic pacing: a first token after 420 ms, then 35 ms per event. */
const pacing = (count: number) => Array.from({ length: count }, (_, index) => (index === 0 ? 420 : 35));

/** Records every run of {@link RECORDED_RUNS} into `dir` through the demo with a key (AGENTRY_TAPES=record). */
async function recordAll(dir: string, paced: boolean): Promise<void> {
  for (const run of RECORDED_RUNS) {
    const body = sseChunks(readFileSync(new URL(run.wire, FIXTURES), 'utf8'));
    openai.reply({ type: 'raw', body, chunkDelayMs: paced ? pacing(body.length) : 0 });
    const demo = await demoIn({ OPENAI_API_KEY: KEY, AGENTRY_TAPES: 'record', AGENTRY_DEMO_TAPES: dir }, run.tenantId);
    try {
      expect(demo.liveSummary).toContain('Tapes: record');
      const result = await demo.runLive(run.agentId, run.input);
      expect(result).toMatchObject({ status: 'succeeded', output: run.output });
    } finally {
      await demo.close();
    }
  }
}

/** An entry without what changes from one recording to the next (when, how fast). */
const timeless = ({ recordedAt: _at, durationMs: _duration, events, ...entry }: TapeEntry) => ({
  ...entry,
  events: events.map(({ atMs: _atMs, ...event }) => event),
});

/** Every committed tape file, relative to the tape folder. */
function committedFiles(): string[] {
  return readdirSync(TAPES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((folder) =>
      readdirSync(path.join(TAPES, folder.name))
        .filter((name) => name.endsWith('.tape.json'))
        .map((name) => `${folder.name}/${name}`),
    );
}

describe("the demo's committed tapes", () => {
  it('are what the demo records, with a key, from the real wire recordings (timing aside)', {
    timeout: 30_000,
  }, async () => {
    if (readTapeMode('replay') === 'record') await recordAll(TAPES, true);
    const fresh = temporary();
    await recordAll(fresh, false);
    const committed = createDirectoryTapeStore({ dir: TAPES });
    const recorded = createDirectoryTapeStore({ dir: fresh });
    for (const { tenantId, agentId } of RECORDED_RUNS) {
      const address = { tenantId, agentId };
      const entries = await recorded.read(address);
      expect(entries).toHaveLength(1);
      expect((await committed.read(address)).map(timeless)).toEqual(entries.map(timeless));
    }
    expect(committedFiles().sort()).toEqual(RECORDED_RUNS.map((run) => `${run.tenantId}/${run.agentId}.tape.json`));
    for (const file of committedFiles()) {
      const text = readFileSync(path.join(TAPES, file), 'utf8');
      expect(text).not.toContain('demotapes0123456789');
      // Pretty-printed, one key per line: a re-recording is a readable diff.
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
  });

  it('parse against the tape format (the version this code writes)', () => {
    expect(committedFiles().length).toBeGreaterThan(0);
    for (const file of committedFiles()) {
      const tape = parseTapeFile(readFileSync(path.join(TAPES, file), 'utf8'), file);
      expect(tape).toMatchObject({ format: 'agentry-tape', version: 1, tenantId: file.split('/')[0] });
      expect(tape.entries.length).toBeGreaterThan(0);
    }
  });

  it('a corrupt copy of a committed tape fails with the file and the problem', async () => {
    const dir = temporary();
    cpSync(TAPES, dir, { recursive: true });
    const file = path.join(dir, 'acme', 'summarize.tape.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"finishReason": "stop"', '"finishReason": 42'));
    const store = createDirectoryTapeStore({ dir });
    await expect(store.read({ tenantId: 'acme', agentId: 'summarize' })).rejects.toThrow(
      new RegExp(
        `Tape ${file.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: does not match the tape format.*finishReason`,
        's',
      ),
    );
    appendFileSync(file, '}');
    await expect(store.read({ tenantId: 'acme', agentId: 'summarize' })).rejects.toThrow(
      /is not valid JSON \(line \d+/,
    );
  });

  it('replay in the demo without a key: live answers as recorded, marked as recorded usage; nothing reaches the provider', async () => {
    const demo = await demoIn({ AGENTRY_DEMO_TAPES: TAPES }, 'acme');
    try {
      expect(demo.liveSummary).toContain('Live mode: a replay of the recorded answers');
      const [run] = RECORDED_RUNS;
      const result = await demo.runLive(run.agentId, run.input);
      expect(result).toMatchObject({
        status: 'succeeded',
        mode: 'live',
        output: run.output,
        metrics: { usageSource: 'recorded', model: 'gpt-4o-mini-2024-07-18', inputTokens: 78, outputTokens: 9 },
      });
      // Any other input misses, loudly, with the diff.
      const missed = await demo.runLive(run.agentId, { ...run.input, text: 'Paris is the capital of France.' });
      expect(missed.status === 'failed' && missed.error.message).toContain('No recording on tape');
      expect(openai.requests).toHaveLength(0);
    } finally {
      await demo.close();
    }
  });

  it('tapes are per workspace: Globex is never answered from Acme’s tape', async () => {
    const demo = await demoIn({ AGENTRY_DEMO_TAPES: TAPES }, 'globex');
    try {
      const [run] = RECORDED_RUNS;
      const result = await demo.runLive(run.agentId, run.input);
      expect(result.status).toBe('failed');
      expect(openai.requests).toHaveLength(0);
    } finally {
      await demo.close();
    }
  });
});
