import type { ExecutionMode } from '../agent';
import type { ProviderAdapter } from '../providers/types';

/** Token counts a scripted answer reports. */
export interface ContractUsage {
  inputTokens: number;
  outputTokens: number;
}

interface ContractAnswerTiming {
  /** Wait before the first byte (response headers, or the first output for in-process adapters). @default 0 */
  firstByteDelayMs?: number;
  /** Wait before every chunk after the first. @default 0 */
  chunkDelayMs?: number;
}

/**
 * One scripted answer of the imitated server, in the contract's words; each harness turns it
 * into its own wire format. Discriminated on `type`:
 * - `text`: the chunks, streamed one by one (or joined in one answer when not streamed);
 *   `usage: null` reports none at all.
 * - `object`: a structured answer (the adapter's way of carrying JSON output).
 * - `error`: an HTTP error with this status; `retryAfterSeconds` adds a `retry-after` header.
 * - `stream-error`: a stream that sends the chunks, then breaks (cut off, or an error event).
 * - `tool-calls`: the model calls tools, each with its id, name and raw argument text (sent as
 *   the harness's wire carries arguments; streamed, the text arrives in fragments).
 * - `hang`: no answer until the client aborts.
 */
export type ContractReply =
  | ({ type: 'text'; chunks: readonly string[]; usage?: ContractUsage | null } & ContractAnswerTiming)
  | ({ type: 'object'; object: unknown; usage?: ContractUsage | null } & ContractAnswerTiming)
  | { type: 'error'; status: number; retryAfterSeconds?: number; message?: string }
  | { type: 'stream-error'; chunks: readonly string[] }
  | { type: 'tool-calls'; calls: readonly ContractToolCall[] }
  | { type: 'hang' };

/** One tool call a scripted answer makes. */
export interface ContractToolCall {
  id: string;
  name: string;
  /** The arguments as the model sends them: JSON text, or anything else (invalid JSON too). */
  argsText: string;
}

/** What the imitated server saw of one request. */
export interface ContractRequest {
  /** True once the client aborted the request or stopped reading its body before the end. */
  closed: boolean;
  /** The names of the tools the request offered; needed by the tool cases. */
  tools?: readonly string[];
  /** The tool results the request carried back, in order; needed by the tool cases. */
  toolResults?: readonly { toolCallId: string; content: string }[];
}

/** HTTP statuses the contract checks. */
export const CONTRACT_STATUSES = [400, 401, 403, 404, 408, 409, 429, 500, 503] as const;

/** Capabilities an adapter may lack; the cases that need them are skipped by name. */
export interface ProviderContractSupport {
  /** The adapter implements `stream()`. @default true */
  stream?: boolean;
  /** The server reports token usage as scripted (`false` for estimated usage, as the mock provider's). @default true */
  usage?: boolean;
  /** The adapter asks for structured output when the agent has an output schema. @default true */
  structuredOutput?: boolean;
  /** The HTTP statuses the harness can script. @default every status in {@link CONTRACT_STATUSES} */
  statuses?: readonly number[];
  /** The adapter reads `retry-after`. @default true */
  retryAfter?: boolean;
  /** The harness can script `hang` and delays. @default true */
  timeouts?: boolean;
  /** The harness can script `stream-error`. @default true */
  streamErrors?: boolean;
  /**
   * The adapter calls tools (`capabilities.tools`), and the harness can script `tool-calls` and
   * report each request's `tools` and `toolResults`. Opt-in, like the capability itself.
   * @default false
   */
  tools?: boolean;
}

/**
 * What {@link describeProviderContract} needs to run the suite against one adapter: how to
 * create it, how to script its server's answers, and what that server saw.
 */
export interface ProviderContractHarness {
  /** Names the suite: `provider contract: <name>`. */
  name: string;
  /** The id agents name in `model.provider`; the adapter is registered under it. */
  providerId: string;
  /** A model the adapter accepts. */
  model: string;
  /** Whether `costUsd` can be known for `model` (Agentry has its price). @default false */
  priced?: boolean;
  /** The mode runs use. @default 'live' */
  mode?: ExecutionMode;
  /** A secret the adapter is configured with; the suite checks it never reaches a record or a log line. */
  secret?: string;
  /** What the adapter cannot do. @default everything supported */
  supports?: ProviderContractSupport;
  /** Before the suite (start an imitated server). */
  setup?(): void | Promise<void>;
  /** After the suite. */
  teardown?(): void | Promise<void>;
  /** Creates the adapter. Called once per case, after `setup` and after the case's `script`. */
  createAdapter(): ProviderAdapter;
  /**
   * Scripts the answers to the next requests, one per request (retries included), replacing
   * any earlier script and forgetting the requests seen. When the script runs out, the server
   * answers HTTP 400 (not retryable), so a request too many shows as a failure.
   */
  script(replies: readonly ContractReply[]): void;
  /** The requests the server saw since the last `script`, in order. */
  requests(): readonly ContractRequest[];
}
