// Server-sent events, the protocol's streaming form: encoding (the server) and decoding (the
// client and the remote provider), per the WHATWG HTML "event stream" rules, written against
// web streams only so it runs in browsers, workers and Node alike (no `node:` imports).

/** The media type of an event stream, asked for with `Accept` and answered as `content-type`. */
export const EVENT_STREAM_CONTENT_TYPE = 'text/event-stream';

/** Whether a `content-type` header names the event stream (any parameters). */
export function isEventStreamContentType(header: string | null | undefined): boolean {
  return typeof header === 'string' && header.trim().toLowerCase().startsWith(EVENT_STREAM_CONTENT_TYPE);
}

/** Whether an `Accept` header asks for the event stream (among any other types). */
export function acceptsEventStream(accept: string | null | undefined): boolean {
  return typeof accept === 'string' && accept.toLowerCase().includes(EVENT_STREAM_CONTENT_TYPE);
}

/** The SSE event a server sends, carrying a problem document, when a stream fails after it began. */
export const PROBLEM_EVENT = 'problem';

/** Encodes one SSE message: `id`, `event: <type>` and one `data:` line per line of JSON. */
export function encodeServerSentEvent(event: string, data: string, id?: number | string): string {
  let out = id === undefined ? '' : `id: ${id}\n`;
  out += `event: ${event}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/** The heartbeat: an SSE comment, ignored by every client, that keeps proxies from closing an idle stream. */
export const HEARTBEAT = ': ping\n\n';

/** One dispatched server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field; `message` when the server sent none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The `id:` field in force for this event, when the server sent one. */
  id?: string;
  /** The `retry:` field, when this event carried one. */
  retry?: number;
}

/** An incremental parser: feed it text in any slices, it calls `onEvent` for each complete event. */
export interface ServerSentEventParser {
  /** Parses a slice of decoded text (any split: mid-line, mid-CRLF). */
  feed(text: string): void;
  /**
   * Ends the stream. Answers `true` when the stream ended cleanly (between events) and
   * `false` when an event was cut off half-way (it is discarded, as the spec says).
   */
  end(): boolean;
}

/** Creates an incremental SSE parser. Comments (`: ping`) and unknown fields are ignored. */
export function createServerSentEventParser(onEvent: (event: ServerSentEvent) => void): ServerSentEventParser {
  // The line being received, in the pieces it arrived in.
  let partialLine: string[] = [];
  let firstChunk = true;
  // A `\r` at the end of a slice may be the first half of `\r\n`.
  let pendingCarriageReturn = false;
  let eventType = '';
  let data: string[] = [];
  let hasFields = false;
  let lastEventId: string | undefined;
  let retry: number | undefined;

  function processLine(line: string): void {
    if (line === '') {
      if (data.length > 0) {
        const event: ServerSentEvent = { event: eventType || 'message', data: data.join('\n') };
        if (lastEventId !== undefined) event.id = lastEventId;
        if (retry !== undefined) event.retry = retry;
        onEvent(event);
      }
      eventType = '';
      data = [];
      retry = undefined;
      hasFields = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        eventType = value;
        hasFields = true;
        break;
      case 'data':
        data.push(value);
        hasFields = true;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        hasFields = true;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retry = Number(value);
        hasFields = true;
        break;
      default:
        break;
    }
  }

  function feed(text: string): void {
    if (text === '') return;
    let chunk = text;
    if (firstChunk) {
      firstChunk = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (pendingCarriageReturn) {
      pendingCarriageReturn = false;
      if (chunk.startsWith('\n')) chunk = chunk.slice(1);
    }
    // Only this slice is searched for line ends, and the unfinished line is kept as a list of
    // pieces joined once: a long line arriving in many slices costs its length, not its square.
    let start = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      const code = chunk.charCodeAt(index);
      if (code !== 10 && code !== 13) continue;
      const piece = chunk.slice(start, index);
      processLine(partialLine.length > 0 ? partialLine.join('') + piece : piece);
      partialLine = [];
      if (code === 13) {
        if (index + 1 === chunk.length) pendingCarriageReturn = true;
        else if (chunk.charCodeAt(index + 1) === 10) index += 1;
      }
      start = index + 1;
    }
    if (start < chunk.length) partialLine.push(chunk.slice(start));
  }

  function end(): boolean {
    const cutOff = partialLine.length > 0 || hasFields;
    partialLine = [];
    eventType = '';
    data = [];
    hasFields = false;
    return !cutOff;
  }

  return { feed, end };
}

/** What {@link decodeServerSentEvents} yields last: whether the stream ended between events. */
export interface DecodeResult {
  /** `false` when the stream stopped in the middle of an event. */
  complete: boolean;
}

/**
 * Reads an SSE byte stream and yields its events as they arrive. UTF-8 is decoded across
 * chunk boundaries. Returning early (breaking the loop) cancels the stream.
 */
export async function* decodeServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent, DecodeResult, undefined> {
  const reader = body.getReader();
  // The parser strips the one byte order mark the spec allows; the decoder must not strip another.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const queue: ServerSentEvent[] = [];
  const parser = createServerSentEventParser((event) => queue.push(event));
  let done = false;
  try {
    while (true) {
      const chunk = await reader.read();
      if (chunk.done) {
        parser.feed(decoder.decode());
        done = true;
        const complete = parser.end();
        yield* queue.splice(0);
        return { complete };
      }
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
