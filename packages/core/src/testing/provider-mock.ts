import { HttpResponse, http } from 'msw';
import type {
  ChunkDelay,
  MockReply,
  MockScript,
  MockToolCall,
  MockToolResult,
  MockUsage,
  ProviderMock,
  ProviderMockOptions,
  RecordedRequest,
} from './mock-reply';

/** One piece of a streamed body and the wait before it. */
export interface Frame {
  text: string;
  delayMs: number;
}

/** An answer reply (`text`, `object` or `refusal`). */
export type AnswerMockReply = Extract<MockReply, { type: 'text' | 'object' | 'refusal' | 'tool-calls' }>;

/** What a request body says about tools: the tools offered and the results sent back. */
export interface RequestToolUse {
  tools: string[];
  toolResults: MockToolResult[];
}

/** Usage with every field filled in. */
export type ResolvedUsage = Required<MockUsage>;

/** What differs between the OpenAI and Anthropic mocks: URLs and body shapes. */
export interface MockDialect {
  /** The completion endpoint (`…/chat/completions`, `…/v1/messages`). */
  completionUrl: string;
  /** The models endpoint used by health checks. */
  modelsUrl: string;
  /** The response header that carries the request id. */
  requestIdHeader: string;
  /** The JSON body of a complete answer. */
  answerJson(reply: AnswerMockReply, request: RecordedRequest, usage: ResolvedUsage): unknown;
  /** The SSE frames of a streamed answer (finish, usage and end marker included unless truncated). */
  answerFrames(reply: AnswerMockReply, request: RecordedRequest, usage: ResolvedUsage, chunks: string[]): Frame[];
  /** The chunks a streamed answer is cut into (for usage defaults and per-chunk delays). */
  chunksOf(reply: AnswerMockReply, request: RecordedRequest): string[];
  /** The tools a request body offered and the tool results it carried. */
  readToolUse(body: unknown): RequestToolUse;
  /** The error body for a status. */
  errorBody(reply: Extract<MockReply, { type: 'error' }>, requestId: string): unknown;
  /** The body of a successful `GET /models`. */
  modelsBody(): unknown;
}

const WORDS = /\s*\S+\s*|\s+/g;

/** Splits text into word chunks that join back to the same text. */
export function splitWords(text: string): string[] {
  return text.match(WORDS) ?? [];
}

/** Splits text into pieces of at most `size` characters. */
export function splitEvery(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
  return pieces;
}

/** A scripted call's arguments as the wire carries them: `argsText` verbatim, else `args` as JSON. */
export function argsTextOf(call: MockToolCall): string {
  return call.argsText ?? JSON.stringify(call.args ?? {});
}

/** The pieces a streamed call's arguments are sent in (small, like the real APIs' fragments). */
export function argumentFragments(call: MockToolCall): string[] {
  return splitEvery(argsTextOf(call), 8);
}

/** Every chunk of a tool-calls reply: its text's words, then each call's argument fragments. */
export function toolCallChunks(reply: Extract<MockReply, { type: 'tool-calls' }>): string[] {
  return [...splitWords(reply.text ?? ''), ...reply.toolCalls.flatMap(argumentFragments)];
}

/** The text of one message content: a string, or the `text` of its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
        ? (part as { text: string }).text
        : '',
    )
    .join('');
}

/** The delay before chunk `index`. */
export function chunkDelay(delay: ChunkDelay | undefined, index: number): number {
  if (delay === undefined) return 0;
  if (typeof delay === 'number') return delay;
  return delay[index] ?? 0;
}

/** Resolves after `ms`; resolves `false` early when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The byte length of all frames: sent as `content-length`, so a cut body is never mistaken for a whole one. */
function framesLength(frames: readonly Frame[]): string {
  const encoder = new TextEncoder();
  return String(frames.reduce((total, frame) => total + encoder.encode(frame.text).byteLength, 0));
}

/** A body that sends each frame after its delay and records whether the client read it to the end. */
function frameStream(frames: readonly Frame[], requestSignal: AbortSignal, recorded?: RecordedRequest) {
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const onRequestAbort = () => stop.abort();
  requestSignal.addEventListener('abort', onRequestAbort, { once: true });
  let index = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const frame = frames[index];
      if (frame === undefined) {
        if (recorded) recorded.bodyCompleted = true;
        requestSignal.removeEventListener('abort', onRequestAbort);
        controller.close();
        return;
      }
      index += 1;
      const waited = await sleep(frame.delayMs, stop.signal);
      if (!waited || stop.signal.aborted) {
        try {
          controller.error(new Error('The client went away.'));
        } catch {
          // Already cancelled.
        }
        return;
      }
      controller.enqueue(encoder.encode(frame.text));
    },
    cancel() {
      stop.abort();
      requestSignal.removeEventListener('abort', onRequestAbort);
      if (recorded && !recorded.bodyCompleted) recorded.bodyCancelled = true;
    },
  });
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

async function readJson(request: Request): Promise<unknown> {
  try {
    const text = await request.text();
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function resolveUsage(reply: AnswerMockReply, chunks: string[]): ResolvedUsage {
  return {
    inputTokens: reply.usage?.inputTokens ?? 10,
    outputTokens: reply.usage?.outputTokens ?? Math.max(1, chunks.length),
    cachedInputTokens: reply.usage?.cachedInputTokens ?? 0,
    reasoningTokens: reply.usage?.reasoningTokens ?? 0,
  };
}

/** Builds a mocked provider API from a dialect; the OpenAI and Anthropic mocks are thin wrappers. */
export function createProviderMock(dialect: MockDialect, options: ProviderMockOptions = {}): ProviderMock {
  let script: MockScript = options.replies ?? [];
  let queue: MockReply[] = typeof script === 'function' ? [] : [...script];
  const requests: RecordedRequest[] = [];
  let modelRequests = 0;

  function nextReply(recorded: RecordedRequest): MockReply {
    if (typeof script === 'function') return script(recorded);
    const reply = queue.shift();
    if (reply) return reply;
    return (
      options.fallback ?? {
        type: 'error',
        status: 400,
        errorType: 'invalid_request_error',
        message: `Agentry test mock: no reply scripted for request ${recorded.index}. Add one with replies or mock.reply().`,
      }
    );
  }

  async function respond(reply: MockReply, request: Request, recorded?: RecordedRequest): Promise<Response> {
    const requestId = `req_mock_${recorded?.index ?? `models_${modelRequests}`}`;
    if (reply.type === 'hang') {
      await waitForAbort(request.signal);
      return HttpResponse.error();
    }
    if (!(await sleep(reply.delayMs ?? 0, request.signal))) return HttpResponse.error();
    const headers = (extra: Record<string, string> | undefined, contentType: string) => ({
      'content-type': contentType,
      [dialect.requestIdHeader]: requestId,
      ...extra,
    });
    switch (reply.type) {
      case 'network-error':
        return HttpResponse.error();
      case 'error':
        return new Response(JSON.stringify(dialect.errorBody(reply, requestId)), {
          status: reply.status,
          headers: headers(reply.headers, 'application/json'),
        });
      case 'json':
        return new Response(JSON.stringify(reply.body), {
          status: reply.status ?? 200,
          headers: headers(reply.headers, 'application/json'),
        });
      case 'raw': {
        const chunks = typeof reply.body === 'string' ? [reply.body] : [...reply.body];
        const frames = chunks.map((text, index) => ({ text, delayMs: chunkDelay(reply.chunkDelayMs, index) }));
        return new Response(frameStream(frames, request.signal, recorded), {
          status: reply.status ?? 200,
          headers: {
            'content-length': framesLength(frames),
            ...headers(reply.headers, reply.contentType ?? 'text/event-stream'),
          },
        });
      }
      case 'text':
      case 'object':
      case 'refusal':
      case 'tool-calls': {
        if (!recorded)
          return new Response(JSON.stringify(dialect.modelsBody()), {
            headers: { 'content-type': 'application/json' },
          });
        const chunks = dialect.chunksOf(reply, recorded);
        const usage = resolveUsage(reply, chunks);
        if (!recorded.stream) {
          return new Response(JSON.stringify(dialect.answerJson(reply, recorded, usage)), {
            status: 200,
            headers: headers(reply.headers, 'application/json'),
          });
        }
        const frames = dialect.answerFrames(reply, recorded, usage, chunks);
        return new Response(frameStream(frames, request.signal, recorded), {
          status: 200,
          headers: {
            'content-length': framesLength(frames),
            ...headers(reply.headers, 'text/event-stream; charset=utf-8'),
          },
        });
      }
      default:
        return reply satisfies never;
    }
  }

  const handlers = [
    http.post(dialect.completionUrl, async ({ request }) => {
      const body = await readJson(request);
      const recorded: RecordedRequest = {
        index: requests.length + 1,
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers.entries()),
        body,
        stream: typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true,
        ...dialect.readToolUse(body),
        reply: { type: 'hang' },
        aborted: request.signal.aborted,
        bodyCancelled: false,
        bodyCompleted: false,
      };
      requests.push(recorded);
      request.signal.addEventListener(
        'abort',
        () => {
          recorded.aborted = true;
        },
        { once: true },
      );
      recorded.reply = nextReply(recorded);
      return respond(recorded.reply, request, recorded);
    }),
    http.get(dialect.modelsUrl, async ({ request }) => {
      modelRequests += 1;
      return respond(options.models ?? { type: 'json', body: dialect.modelsBody() }, request);
    }),
  ];

  return {
    handlers,
    get requests() {
      return requests;
    },
    get modelRequests() {
      return modelRequests;
    },
    reply(...replies) {
      if (typeof script === 'function') {
        throw new TypeError('mock.reply() appends to a list script; this mock was given a function.');
      }
      queue.push(...replies);
    },
    reset(replies) {
      requests.length = 0;
      modelRequests = 0;
      script = replies ?? [];
      queue = typeof script === 'function' ? [] : [...script];
    },
  };
}
