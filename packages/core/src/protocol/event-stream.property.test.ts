// Properties of the SSE decoder: random event streams, encoded with random line endings,
// comments and field spellings, cut into random slices (inside CRLF, inside multi-byte UTF-8
// when fed bytes), decode to exactly the events encoded. fast-check prints the seed on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createServerSentEventParser,
  decodeServerSentEvents,
  encodeServerSentEvent,
  type ServerSentEvent,
} from './event-stream';

const RUNS = { numRuns: 300 };

interface ModelEvent {
  event: string | undefined;
  data: string[];
  id: string | undefined;
  retry: number | undefined;
  /** Lines that must change nothing: comments and unknown fields. */
  noise: string[];
}

/** Text of one line: anything but a line break (lone surrogates only when `strings` are fed). */
const lineText = (wellFormed: boolean) =>
  (wellFormed
    ? fc.string({ unit: 'binary', maxLength: 30 })
    : fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 30 })
  ).map((text) => text.replace(/[\r\n]/g, ' '));

const modelEvent = (wellFormed: boolean): fc.Arbitrary<ModelEvent> =>
  fc.record({
    event: fc.option(lineText(wellFormed), { nil: undefined }),
    data: fc.array(lineText(wellFormed), { maxLength: 4 }),
    id: fc.option(
      lineText(wellFormed).map((text) => text.replace(/\0/g, '')),
      { nil: undefined },
    ),
    retry: fc.option(fc.nat(), { nil: undefined }),
    noise: fc.array(
      fc.oneof(
        lineText(wellFormed).map((text) => `:${text}`),
        fc.constantFrom('unknown: field', 'ids: 7', 'datum', 'retry: soon', 'Data: capitalised'),
      ),
      { maxLength: 2 },
    ),
  });

/** Writes a field, with or without the optional space after the colon (required when the value starts with one). */
function field(name: string, value: string, spaced: boolean): string {
  return spaced || value.startsWith(' ') ? `${name}: ${value}` : `${name}:${value}`;
}

/** Encodes events as the lines of a stream (the blank line after each event included). */
function toLines(events: ModelEvent[], spacing: boolean[]): string[] {
  const lines: string[] = [];
  events.forEach((event, index) => {
    const spaced = spacing[index % spacing.length] ?? true;
    lines.push(...event.noise);
    if (event.event !== undefined) lines.push(field('event', event.event, spaced));
    if (event.id !== undefined) lines.push(field('id', event.id, spaced));
    if (event.retry !== undefined) lines.push(field('retry', String(event.retry), spaced));
    for (const line of event.data) lines.push(field('data', line, spaced));
    lines.push('');
  });
  return lines;
}

/** Joins lines with random line ends; a CR is never followed by an LF that ends an empty line. */
function joinLines(lines: string[], endings: string[]): string {
  let text = '';
  let previous = '';
  lines.forEach((line, index) => {
    let ending = endings[index % endings.length] ?? '\n';
    if (previous === '\r' && line === '' && ending === '\n') ending = '\r\n';
    text += line + ending;
    previous = ending;
  });
  return text;
}

/** What a conforming decoder dispatches for these events. */
function expected(events: ModelEvent[]): ServerSentEvent[] {
  const out: ServerSentEvent[] = [];
  let lastId: string | undefined;
  for (const event of events) {
    if (event.id !== undefined) lastId = event.id;
    if (event.data.length === 0) continue;
    const decoded: ServerSentEvent = { event: event.event || 'message', data: event.data.join('\n') };
    if (lastId !== undefined) decoded.id = lastId;
    if (event.retry !== undefined) decoded.retry = event.retry;
    out.push(decoded);
  }
  return out;
}

/** Cuts `length` items into slices at the given (sorted, deduplicated) positions. */
function cutPoints(length: number, raw: number[]): number[] {
  return [...new Set(raw.map((point) => (length === 0 ? 0 : point % (length + 1))))].sort((a, b) => a - b);
}

function sliceText(text: string, points: number[]): string[] {
  const slices: string[] = [];
  let from = 0;
  for (const point of [...points, text.length]) {
    slices.push(text.slice(from, point));
    from = point;
  }
  return slices;
}

function byteStream(bytes: Uint8Array, points: number[]): ReadableStream<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(from, point));
    from = point;
  }
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

const stream = (wellFormed: boolean) =>
  fc.record({
    events: fc.array(modelEvent(wellFormed), { maxLength: 8 }),
    endings: fc.array(fc.constantFrom('\n', '\r', '\r\n'), { minLength: 1, maxLength: 5 }),
    spacing: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
    bom: fc.boolean(),
    cuts: fc.array(fc.nat(), { maxLength: 20 }),
  });

describe('SSE decoder properties', () => {
  it('decodes text fed in any slices (CRLF split included) to exactly the events encoded', () => {
    fc.assert(
      fc.property(stream(false), ({ events, endings, spacing, bom, cuts }) => {
        const text = (bom ? '\uFEFF' : '') + joinLines(toLines(events, spacing), endings);
        const decoded: ServerSentEvent[] = [];
        const parser = createServerSentEventParser((event) => decoded.push(event));
        for (const slice of sliceText(text, cutPoints(text.length, cuts))) parser.feed(slice);
        expect(parser.end()).toBe(true);
        expect(decoded).toEqual(expected(events));
      }),
      RUNS,
    );
  });

  it('decodes UTF-8 bytes cut anywhere, inside multi-byte characters included', async () => {
    await fc.assert(
      fc.asyncProperty(stream(true), async ({ events, endings, spacing, bom, cuts }) => {
        const bytes = new TextEncoder().encode((bom ? '\uFEFF' : '') + joinLines(toLines(events, spacing), endings));
        const decoded: ServerSentEvent[] = [];
        const iterator = decodeServerSentEvents(byteStream(bytes, cutPoints(bytes.length, cuts)));
        let step = await iterator.next();
        while (!step.done) {
          decoded.push(step.value);
          step = await iterator.next();
        }
        expect(step.value).toEqual({ complete: true });
        expect(decoded).toEqual(expected(events));
      }),
      RUNS,
    );
  });

  it('drops an event cut off before its blank line, and says the stream was cut', () => {
    fc.assert(
      fc.property(stream(false), lineText(false), ({ events, endings, spacing, cuts }, tail) => {
        const text = `${joinLines(toLines(events, spacing), endings)}data: ${tail}`;
        const decoded: ServerSentEvent[] = [];
        const parser = createServerSentEventParser((event) => decoded.push(event));
        for (const slice of sliceText(text, cutPoints(text.length, cuts))) parser.feed(slice);
        expect(parser.end()).toBe(false);
        expect(decoded).toEqual(expected(events));
      }),
      RUNS,
    );
  });

  it('round-trips what the server encodes: any data, its line breaks read back as \\n', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.stringMatching(/^[a-z][a-z-]{0,20}$/),
            data: fc.string({ unit: 'binary', maxLength: 60 }),
            id: fc.nat(),
          }),
          { maxLength: 6 },
        ),
        fc.array(fc.nat(), { maxLength: 10 }),
        (messages, cuts) => {
          const text = messages.map(({ type, data, id }) => encodeServerSentEvent(type, data, id)).join('');
          const decoded: ServerSentEvent[] = [];
          const parser = createServerSentEventParser((event) => decoded.push(event));
          for (const slice of sliceText(text, cutPoints(text.length, cuts))) parser.feed(slice);
          expect(parser.end()).toBe(true);
          expect(decoded).toEqual(
            messages.map(({ type, data, id }) => ({
              event: type,
              data: data.replace(/\r\n|\r/g, '\n'),
              id: String(id),
            })),
          );
        },
      ),
      RUNS,
    );
  });
});
