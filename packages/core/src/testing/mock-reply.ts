import type { HttpHandler } from 'msw';

/** Token counts a scripted reply reports, in Agentry's terms (each mock maps them to its API's shape). */
export interface MockUsage {
  /** All input tokens, cached ones included. @default 10 */
  inputTokens?: number;
  /** Output tokens. @default the number of streamed chunks */
  outputTokens?: number;
  /** Input tokens read from the prompt cache. @default 0 */
  cachedInputTokens?: number;
  /** Reasoning tokens (OpenAI only). @default 0 */
  reasoningTokens?: number;
}

/**
 * One tool call a scripted reply makes. Give `args` (sent as its JSON text) or `argsText` (sent
 * exactly as written, e.g. invalid JSON, to test how an agent handles a broken call).
 */
export interface MockToolCall {
  /** The tool's name, as the agent declares it. */
  name: string;
  /** The arguments, sent as `JSON.stringify(args)`. @default {} */
  args?: unknown;
  /** The arguments' raw text, sent as is (wins over `args`). @default undefined */
  argsText?: string;
  /** The call's id. @default `call_mock_<request>_<n>` (OpenAI), `toolu_mock_<request>_<n>` (Anthropic) */
  id?: string;
}

/** A tool result a request carried back to the model, read from the request body. */
export interface MockToolResult {
  /** The id of the call it answers (OpenAI `tool_call_id`, Anthropic `tool_use_id`). */
  toolCallId: string;
  /** The result's text (text parts joined). */
  content: string;
  /** Anthropic's `is_error` (`false` for OpenAI, whose API has no such flag). */
  isError: boolean;
}

/** Per-chunk latency: one delay before every chunk, or one per chunk (missing entries wait 0). */
export type ChunkDelay = number | readonly number[];

interface ReplyTiming {
  /** Wait before the response headers are sent, in ms. @default 0 */
  delayMs?: number;
  /** Extra response headers (e.g. `x-ratelimit-*`). @default {} */
  headers?: Record<string, string>;
}

interface AnswerReply extends ReplyTiming {
  /** The model id reported. @default the model the request asked for */
  model?: string;
  /**
   * Usage reported (in the JSON body, or the stream's usage chunk / message_delta). `null` sends
   * none at all, like a compatible server that ignores `stream_options.include_usage`.
   * @default counts derived from the reply
   */
  usage?: MockUsage | null;
  /**
   * The API's own finish reason (`stop`, `length`, … for OpenAI; `end_turn`, `max_tokens`, … for Anthropic).
   * @default 'stop' / 'end_turn' ('tool_calls' / 'tool_use' for tool calls, 'tool_use' for Anthropic object replies)
   */
  finishReason?: string;
  /** When streamed: the wait before each chunk. @default 0 */
  chunkDelayMs?: ChunkDelay;
  /** When streamed: end the body right after the chunks, without finish, usage or `[DONE]`. @default false */
  truncate?: boolean;
}

/**
 * One scripted answer of a mocked provider endpoint. Discriminated on `type`:
 * - `text`: a completion. A JSON body, or, when the request asks to stream, a real-shaped SSE stream
 *   of the chunks (a string is split into words).
 * - `object`: a structured answer (OpenAI: JSON text in `content`; Anthropic: the forced tool's `input`).
 * - `tool-calls`: the model calls tools (with optional text before the calls), in the API's real
 *   shape: OpenAI `tool_calls` (streamed as an id-and-name delta, then argument fragments by
 *   `index`, `finish_reason: "tool_calls"`); Anthropic `tool_use` blocks (streamed as
 *   `input_json_delta` fragments, `stop_reason: "tool_use"`). With `truncate` the stream stops
 *   after the last argument fragment, before the call is complete.
 * - `refusal`: the model declines (OpenAI: `message.refusal` / `delta.refusal` chunks with `content: null`;
 *   Anthropic: the text with `stop_reason: "refusal"`).
 * - `error`: the API's error body with a status and headers (`retry-after`, …).
 * - `json`: any JSON body (e.g. a recorded response).
 * - `raw`: any body, optionally in chunks (recorded or malformed SSE).
 * - `network-error`: the connection fails.
 * - `hang`: no answer until the client aborts (timeouts).
 */
export type MockReply =
  | ({ type: 'text'; text: string | readonly string[] } & AnswerReply)
  | ({ type: 'object'; object: unknown } & AnswerReply)
  | ({ type: 'refusal'; refusal: string | readonly string[] } & AnswerReply)
  | ({
      type: 'tool-calls';
      toolCalls: readonly MockToolCall[];
      /** Text the model says before its calls. @default '' (none) */
      text?: string;
    } & AnswerReply)
  | ({
      type: 'error';
      status: number;
      /** The error message in the body. @default a message typical for the status */
      message?: string;
      /** The error `type` in the body. @default the API's type for the status */
      errorType?: string;
      /** OpenAI's `code` (`rate_limit_exceeded`, `invalid_api_key`, …). @default by status */
      code?: string | null;
    } & ReplyTiming)
  | ({ type: 'json'; body: unknown; status?: number } & ReplyTiming)
  | ({
      type: 'raw';
      /** The body, or its chunks sent one by one (with `chunkDelayMs` before each). */
      body: string | readonly string[];
      status?: number;
      /** @default 'text/event-stream' */
      contentType?: string;
      chunkDelayMs?: ChunkDelay;
    } & ReplyTiming)
  | { type: 'network-error'; delayMs?: number }
  | { type: 'hang' };

/** What a mock saw of one request. Fields that change later (`aborted`, `bodyCancelled`) update in place. */
export interface RecordedRequest {
  /** 1-based position among this mock's completion requests (retries count). */
  index: number;
  method: string;
  url: string;
  /** Request headers, lower-cased names, as sent (including credentials: this is a test double). */
  headers: Record<string, string>;
  /** The parsed JSON body (`undefined` when there was none or it was not JSON). */
  body: unknown;
  /** Whether the body asked for a stream (`stream: true`). */
  stream: boolean;
  /** The names of the tools the request offered (Anthropic's structured-output tool included). */
  tools: string[];
  /** The tool results the request sent back, in order: script the next reply from them. */
  toolResults: MockToolResult[];
  /** The scripted reply it got. */
  reply: MockReply;
  /** True once the client aborted the request (its signal fired). */
  aborted: boolean;
  /** True once the client stopped reading a streamed body before its end (the stream was cancelled). */
  bodyCancelled: boolean;
  /** True once a streamed body was sent to its end. */
  bodyCompleted: boolean;
}

/** Where the script comes from: a list consumed in order, or a function of each request. */
export type MockScript = readonly MockReply[] | ((request: RecordedRequest) => MockReply);

/** Options shared by the OpenAI and Anthropic mocks. */
export interface ProviderMockOptions {
  /**
   * Replies to completion requests: a list consumed in order (one per request, retries included),
   * or a function. When a list runs out, `fallback` answers.
   * @default []
   */
  replies?: MockScript;
  /** The reply once `replies` is used up. @default an HTTP 400 saying the script ran out (not retryable) */
  fallback?: MockReply;
  /** The reply to `GET /models` (health checks). @default a one-model list */
  models?: MockReply;
}

/** A mocked provider API: give `handlers` to `setupServer`, script replies, read `requests`. */
export interface ProviderMock {
  /** msw handlers: `setupServer(...mock.handlers)` or `server.use(...mock.handlers)`. */
  readonly handlers: HttpHandler[];
  /** Completion requests received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** How many `GET /models` requests were received. */
  readonly modelRequests: number;
  /** Appends replies to the script (when the script is a list). */
  reply(...replies: MockReply[]): void;
  /** Clears the recorded requests and replaces the script. */
  reset(replies?: MockScript): void;
}
