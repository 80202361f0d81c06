import { describe, expect, it } from 'vitest';
import { isAgentryError } from '../errors';
import { createServerSentEventParser, decodeServerSentEvents, type ServerSentEvent } from './event-stream';
import { readExecutionEvents } from './read-execution-events';

function parseAll(slices: string[]): { events: ServerSentEvent[]; clean: boolean } {
  const events: ServerSentEvent[] = [];
  const parser = createServerSentEventParser((event) => events.push(event));
  for (const slice of slices) parser.feed(slice);
  return { events, clean: parser.end() };
}

function byteStream(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const STREAM =
  'id: 1\nevent: output-delta\ndata: {"a":1}\n\n: ping\n\nevent: usage\ndata: line one\ndata: line two\n\n';

describe('createServerSentEventParser', () => {
  it('parses event, id and multi-line data, and skips comments', () => {
    const { events, clean } = parseAll([STREAM]);
    expect(clean).toBe(true);
    expect(events).toEqual([
      { event: 'output-delta', data: '{"a":1}', id: '1' },
      { event: 'usage', data: 'line one\nline two', id: '1' },
    ]);
  });

  it('gives the same events whatever the slicing, one character at a time included', () => {
    const whole = parseAll([STREAM]).events;
    expect(parseAll(STREAM.split('')).events).toEqual(whole);
    for (let cut = 1; cut < STREAM.length; cut += 1) {
      expect(parseAll([STREAM.slice(0, cut), STREAM.slice(cut)]).events).toEqual(whole);
    }
  });

  it('accepts CRLF and lone CR line endings, even with CRLF split across slices', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    expect(parseAll([crlf]).events).toEqual(parseAll([STREAM]).events);
    expect(parseAll(crlf.split('')).events).toEqual(parseAll([STREAM]).events);
    expect(parseAll([STREAM.replace(/\n/g, '\r')]).events).toEqual(parseAll([STREAM]).events);
  });

  it('defaults the event type to message, strips one leading space and a BOM', () => {
    expect(parseAll(['\uFEFFdata:  two spaces\n\n']).events).toEqual([{ event: 'message', data: ' two spaces' }]);
  });

  it('reports a stream cut off mid-event and drops that event', () => {
    const { events, clean } = parseAll(['event: usage\ndata: {"a":1}\n\nevent: output-delta\ndata: {"b"']);
    expect(events).toHaveLength(1);
    expect(clean).toBe(false);
  });
});

describe('decodeServerSentEvents', () => {
  it('decodes UTF-8 split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('data: héllo 👋\n\n');
    const split = [bytes.slice(0, 8), bytes.slice(8, 14), bytes.slice(14)];
    expect(await collect(decodeServerSentEvents(byteStream(split)))).toEqual([{ event: 'message', data: 'héllo 👋' }]);
  });

  it('strips one byte order mark, not two: a second one belongs to the first field name', async () => {
    const bytes = new TextEncoder().encode('\uFEFF\uFEFFdata: hidden\n\ndata: shown\n\n');
    expect(await collect(decodeServerSentEvents(byteStream([bytes])))).toEqual([{ event: 'message', data: 'shown' }]);
  });

  it('cancels the underlying stream when the loop breaks', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: x\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _event of decodeServerSentEvents(body)) break;
    expect(cancelled).toBe(true);
  });
});

describe('readExecutionEvents', () => {
  const start = { type: 'execution-start', executionId: 'exe_1' };
  const frame = (event: { type: string }) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

  it('yields events up to the terminal one and ignores unknown event types', async () => {
    const text = `${frame(start)}event: future-thing\ndata: {}\n\n${frame({ type: 'execution-finish' })}${frame(start)}`;
    const events = await collect(readExecutionEvents(byteStream([new TextEncoder().encode(text)])));
    expect(events.map((event) => event.type)).toEqual(['execution-start', 'execution-finish']);
  });

  it('throws a clear, retryable error for a stream that ends before the run finished', async () => {
    const text = `${frame(start)}event: output-delta\ndata: {"type":"output-del`;
    const events: string[] = [];
    const error = await (async () => {
      for await (const event of readExecutionEvents(byteStream([new TextEncoder().encode(text)])))
        events.push(event.type);
    })().catch((caught: unknown) => caught);
    expect(events).toEqual(['execution-start']);
    expect(isAgentryError(error) && error.retryable).toBe(true);
    expect(isAgentryError(error) && error.executionId).toBe('exe_1');
    expect((error as Error).message).toContain('ended before the execution finished');
  });

  it('throws for an event whose data is not JSON', async () => {
    const text = 'event: output-delta\ndata: not json\n\n';
    await expect(collect(readExecutionEvents(byteStream([new TextEncoder().encode(text)])))).rejects.toThrow(
      /not JSON/,
    );
  });

  it('turns an in-band problem event into an AgentryError with its code', async () => {
    const problem = { type: 'urn:agentry:error:internal', code: 'internal', detail: 'boom', userMessage: 'Oops.' };
    const text = `${frame(start)}event: problem\ndata: ${JSON.stringify(problem)}\n\n`;
    await expect(collect(readExecutionEvents(byteStream([new TextEncoder().encode(text)])))).rejects.toMatchObject({
      code: 'internal',
      message: 'boom',
      userMessage: 'Oops.',
    });
  });
});
