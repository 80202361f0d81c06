import { afterEach, describe, expect, it, vi } from 'vitest';
import { AgentryError } from '../errors';
import { createRedactor, type Redactor, type StreamRedactor } from '../logging';
import type { ExecutionEvent, ExecutionEventEntry } from '../protocol';
import { createEventStreamResponse, type EventStreamResponseOptions } from './sse-response';

// createEventStreamResponse on its own, fed scripted events: what goes on the wire for each
// sequence (ids, held delta tails, problems, heartbeats) and what a disconnect calls.

const SECRET = 'zz-handler-secret-9137';
const ID = 'ex_1';

const start: ExecutionEvent = {
  type: 'execution-start',
  executionId: ID,
  agentId: 'echo',
  mode: 'live',
  requestedMode: 'live',
  provider: 'scripted',
  model: 'scripted-1',
  startedAt: '2026-12-03T00:00:00.000Z',
};
const delta = (text: string, executionId = ID): ExecutionEvent => ({ type: 'output-delta', executionId, delta: text });
const usage: ExecutionEvent = { type: 'usage', executionId: ID, usage: { inputTokens: 1, outputTokens: 2 } };
const finish = {
  type: 'execution-finish',
  executionId: ID,
  result: { status: 'succeeded' },
} as unknown as ExecutionEvent;

/** Numbered entries from 1, as the executor's event log numbers them. */
const entries = (...events: ExecutionEvent[]): ExecutionEventEntry[] =>
  events.map((event, index) => ({ id: index + 1, event }));

/**
 * A redactor whose stream releases up to the last space and holds the word after it: every
 * delta ending in a space is released whole (nothing held), any other keeps its tail.
 */
function wordRedactor(): Redactor {
  const base = createRedactor([SECRET]);
  return {
    ...base,
    redactString: (text) => base.redactString(text),
    redactValue: (value) => base.redactValue(value),
    createStream(): StreamRedactor {
      let buffer = '';
      return {
        push(chunk) {
          buffer += chunk;
          const cut = buffer.lastIndexOf(' ') + 1;
          const out = buffer.slice(0, cut);
          buffer = buffer.slice(cut);
          return base.redactString(out);
        },
        flush() {
          const out = base.redactString(buffer);
          buffer = '';
          return out;
        },
        get held() {
          return buffer.length;
        },
      };
    },
  };
}

interface Script {
  /** Thrown by `next()` after the entries, instead of ending. */
  fail?: unknown;
  /** After the entries, `next()` never settles (a run that waits). */
  hang?: boolean;
  /** What `return()` does. */
  onReturn?: () => Promise<IteratorResult<ExecutionEventEntry>>;
}

function scripted(rest: ExecutionEventEntry[], script: Script = {}) {
  const calls = { next: 0, return: 0 };
  let rejectPending: ((error: unknown) => void) | undefined;
  const iterator: AsyncIterator<ExecutionEventEntry> = {
    async next() {
      calls.next += 1;
      const entry = rest.shift();
      if (entry !== undefined) return { done: false, value: entry };
      if (script.hang) return new Promise((_, reject) => (rejectPending = reject));
      if (script.fail !== undefined) throw script.fail;
      return { done: true, value: undefined };
    },
    return() {
      calls.return += 1;
      return script.onReturn?.() ?? Promise.resolve({ done: true, value: undefined });
    },
  };
  return { iterator, calls, rejectPending: (error: unknown) => rejectPending?.(error) };
}

function respond(
  all: ExecutionEventEntry[],
  options: Partial<EventStreamResponseOptions> & Script = {},
): { response: Response; calls: { next: number; return: number }; rejectPending: (error: unknown) => void } {
  const [first, ...rest] = all;
  const { iterator, calls, rejectPending } = scripted(rest, options);
  const response = createEventStreamResponse({
    first,
    iterator,
    heartbeatMs: 0,
    redactor: wordRedactor(),
    onCancel: () => undefined,
    ...options,
  });
  return { response, calls, rejectPending };
}

const data = (value: unknown) => JSON.stringify(value);
const sse = (event: string, value: unknown, id?: number) =>
  `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data(value)}\n\n`;

const decoder = new TextDecoder();

/** Turns the event loop a few times, so that pulls the stream started have run. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}
async function readText(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value, done } = await reader.read();
  return done ? '<end>' : decoder.decode(value);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createEventStreamResponse: what goes on the wire', () => {
  it('answers 200 text/event-stream, unbuffered and uncached, with the extra headers redacted', () => {
    const { response } = respond(entries(start), { headers: { 'x-extra': `token ${SECRET}`, vary: 'Origin' } });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'x-extra': 'token [REDACTED]',
      vary: 'Origin',
    });
  });

  it('with no first event, the stream is empty and the iterator is never read', async () => {
    const { response, calls } = respond([]);
    expect(await response.text()).toBe('');
    expect(calls.next).toBe(0);
  });

  it('a terminal first event is the whole stream', async () => {
    const { response, calls } = respond(entries(finish, usage));
    expect(await response.text()).toBe(sse('execution-finish', finish, 1));
    expect(calls.next).toBe(0);
  });

  it('sends each event with its id; a delta released whole keeps its id, one with a held tail goes without', async () => {
    const { response } = respond(entries(start, delta('Hello '), delta('wor'), delta('ld '), usage, finish));
    expect(await response.text()).toBe(
      sse('execution-start', start, 1) +
        sse('output-delta', delta('Hello '), 2) +
        // `wor` is held whole: nothing to send for event 3.
        sse('output-delta', delta('world '), 4) +
        sse('usage', usage, 5) +
        sse('execution-finish', finish, 6),
    );
  });

  it('a held tail goes out, without an id, before the terminal event that ends the text', async () => {
    const { response } = respond(entries(start, delta('Hello wor'), finish));
    expect(await response.text()).toBe(
      sse('execution-start', start, 1) +
        sse('output-delta', delta('Hello ')) +
        sse('output-delta', delta('wor')) +
        sse('execution-finish', finish, 3),
    );
  });

  it('a held tail goes out when the events end without a terminal one', async () => {
    const { response } = respond(entries(start, delta('Hello wor')));
    expect(await response.text()).toBe(
      sse('execution-start', start, 1) + sse('output-delta', delta('Hello ')) + sse('output-delta', delta('wor')),
    );
  });

  it('empty deltas are not sent, and the next event follows', async () => {
    const { response } = respond(entries(start, delta(''), delta(''), usage, finish));
    expect(await response.text()).toBe(
      sse('execution-start', start, 1) + sse('usage', usage, 4) + sse('execution-finish', finish, 5),
    );
  });

  it('nothing is read after the terminal event', async () => {
    const { response, calls } = respond(entries(start, finish, usage));
    expect(await response.text()).toBe(sse('execution-start', start, 1) + sse('execution-finish', finish, 2));
    expect(calls.next).toBe(1);
  });

  it('redacts the events, the deltas and the execution id they carry', async () => {
    const leaky = delta(`key ${SECRET} `, `ex_${SECRET}`);
    const { response } = respond(entries(start, leaky, { ...usage, model: SECRET } as unknown as ExecutionEvent));
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    expect(text).toContain(sse('output-delta', delta('key [REDACTED] ', 'ex_[REDACTED]'), 2));
    expect(text).toContain(sse('usage', { ...usage, model: '[REDACTED]' }, 3));
  });

  it('with redactDeltas: false, every delta goes out as it came, with its id (the executor redacted them already)', async () => {
    const { response } = respond(entries(start, delta('Hello wor'), delta('ld'), finish), { redactDeltas: false });
    expect(await response.text()).toBe(
      sse('execution-start', start, 1) +
        sse('output-delta', delta('Hello wor'), 2) +
        sse('output-delta', delta('ld'), 3) +
        sse('execution-finish', finish, 4),
    );
  });

  it('a redactor without a stream of its own holds the deltas and releases them redacted at the end', async () => {
    const plain: Redactor = {
      redactString: (text) => text.replaceAll(SECRET, '[REDACTED]'),
      redactValue: (value) => value,
      addSecrets: () => undefined,
    };
    const { response } = respond(entries(start, delta('zz-handler-'), delta('secret-9137 ok'), finish), {
      redactor: plain,
    });
    expect(await response.text()).toBe(
      sse('execution-start', start, 1) +
        sse('output-delta', delta('[REDACTED] ok')) +
        sse('execution-finish', finish, 4),
    );
  });
});

describe('createEventStreamResponse: pace and endings', () => {
  it('reads the executor only as fast as the client reads (one event per read)', async () => {
    const { response, calls } = respond(entries(start, delta('a '), delta('b '), delta('c '), usage, finish));
    const reader = response.body!.getReader();
    expect(await readText(reader)).toBe(sse('execution-start', start, 1));
    await settle();
    // The stream's queue holds one event ahead of the reader, no more.
    expect(calls.next).toBe(1);
    expect(await readText(reader)).toBe(sse('output-delta', delta('a '), 2));
    await settle();
    expect(calls.next).toBe(2);
    await reader.cancel();
  });

  it('with redactDeltas: false, events that end without a terminal one end the stream cleanly', async () => {
    const { response } = respond(entries(start, delta('Hello wor')), { redactDeltas: false });
    expect(await response.text()).toBe(sse('execution-start', start, 1) + sse('output-delta', delta('Hello wor'), 2));
  });

  it('with redactDeltas: false, a failure after the start is still answered as a problem', async () => {
    const { response } = respond(entries(start, delta('Hello wor')), { redactDeltas: false, fail: new Error('gone') });
    const text = await response.text();
    expect(text.startsWith(sse('execution-start', start, 1) + sse('output-delta', delta('Hello wor'), 2))).toBe(true);
    expect(text).toContain('event: problem\n');
  });

  it('however the stream ends, no heartbeat timer is left behind', async () => {
    vi.useFakeTimers();
    const endings: [string, ExecutionEventEntry[], Script][] = [
      ['a terminal first event', entries(finish), {}],
      ['a terminal event later', entries(start, usage, finish), {}],
      ['events that stop without a terminal one', entries(start, usage), {}],
      ['a failing iterator', entries(start, usage), { fail: new Error('gone') }],
    ];
    for (const [name, all, script] of endings) {
      const { response } = respond(all, { ...script, heartbeatMs: 1000, onError: () => undefined });
      await response.text();
      expect({ name, timers: vi.getTimerCount() }).toEqual({ name, timers: 0 });
    }
  });

  it('a client that cancels after the stream has ended (its last events unread) does not cancel the run', async () => {
    const onCancel = vi.fn();
    const { response, calls } = respond(entries(finish), { onCancel });
    await response.body!.cancel();
    await settle();
    expect(onCancel).not.toHaveBeenCalled();
    expect(calls.return).toBe(0);
  });
});

describe('createEventStreamResponse: an iterator that fails after the stream began', () => {
  it('sends the held tail, then a problem without the error words, closes, and reports the error', async () => {
    const failure = new Error(`database gone, password ${SECRET}`);
    const onError = vi.fn();
    const onCancel = vi.fn();
    const { response } = respond(entries(start, delta('Hello wor')), { fail: failure, onError, onCancel });
    const text = await response.text();
    expect(onError).toHaveBeenCalledExactlyOnceWith(failure);
    expect(onCancel).not.toHaveBeenCalled();
    const [before, problem] = text.split('event: problem\n');
    expect(before).toBe(
      sse('execution-start', start, 1) + sse('output-delta', delta('Hello ')) + sse('output-delta', delta('wor')),
    );
    const document = JSON.parse(problem!.replace(/^data: /, '')) as Record<string, unknown>;
    expect(document).toMatchObject({ status: 500, type: 'urn:agentry:error:internal' });
    expect(text).not.toContain('database gone');
    expect(text.endsWith('\n\n')).toBe(true);
  });

  it('an AgentryError is answered as its own problem, redacted', async () => {
    const { response } = respond(entries(start), {
      fail: new AgentryError('not_found', `No execution ${SECRET}.`),
    });
    const text = await response.text();
    expect(text.startsWith(`${sse('execution-start', start, 1)}event: problem\ndata: `)).toBe(true);
    expect(text).toContain('"type":"urn:agentry:error:not_found"');
    expect(text).toContain('No execution [REDACTED].');
    expect(text).not.toContain(SECRET);
  });
});

describe('createEventStreamResponse: heartbeats', () => {
  it('sends `: ping` after heartbeatMs without output, not before, and again after each quiet period', async () => {
    vi.useFakeTimers();
    const { response } = respond(entries(start), { hang: true, heartbeatMs: 1000 });
    const reader = response.body!.getReader();
    expect(await readText(reader)).toBe(sse('execution-start', start, 1));
    let settled = false;
    const next = reader.read().then((chunk) => {
      settled = true;
      return chunk;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(decoder.decode((await next).value)).toBe(': ping\n\n');
    const again = reader.read();
    await vi.advanceTimersByTimeAsync(1000);
    expect(decoder.decode((await again).value)).toBe(': ping\n\n');
    await reader.cancel();
  });

  it('sends no heartbeat with heartbeatMs 0', async () => {
    vi.useFakeTimers();
    const { response } = respond(entries(start), { hang: true, heartbeatMs: 0 });
    const reader = response.body!.getReader();
    expect(await readText(reader)).toBe(sse('execution-start', start, 1));
    let settled = false;
    void reader.read().then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await reader.cancel();
  });

  it('stops the heartbeat once the stream has ended', async () => {
    vi.useFakeTimers();
    const { response } = respond(entries(start, finish), { heartbeatMs: 1000 });
    expect(await response.text()).toBe(sse('execution-start', start, 1) + sse('execution-finish', finish, 2));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops the heartbeat when the client goes away', async () => {
    vi.useFakeTimers();
    const { response } = respond(entries(start), { hang: true, heartbeatMs: 1000 });
    const reader = response.body!.getReader();
    await readText(reader);
    expect(vi.getTimerCount()).toBe(1);
    await reader.cancel();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createEventStreamResponse: the client goes away', () => {
  it('calls onCancel once and closes the iterator', async () => {
    const onCancel = vi.fn();
    const { response, calls } = respond(entries(start), { hang: true, onCancel });
    const reader = response.body!.getReader();
    await readText(reader);
    await reader.cancel();
    await vi.waitFor(() => expect(calls.return).toBe(1));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('an iterator whose return() rejects leaves no unhandled rejection', async () => {
    const { response, calls } = respond(entries(start), {
      hang: true,
      onReturn: () => Promise.reject(new Error('already closed')),
    });
    const reader = response.body!.getReader();
    await readText(reader);
    await reader.cancel();
    await vi.waitFor(() => expect(calls.return).toBe(1));
  });

  it('a read that fails after the client left is not reported or answered', async () => {
    const onError = vi.fn();
    const { response, rejectPending } = respond(entries(start), { hang: true, onError });
    const reader = response.body!.getReader();
    await readText(reader);
    const pending = reader.read();
    await reader.cancel();
    rejectPending(new Error('the run was cancelled'));
    expect((await pending).done).toBe(true);
    await Promise.resolve();
    expect(onError).not.toHaveBeenCalled();
  });
});
