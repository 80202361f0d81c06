// The shapes of a tape, as plain data (what a tape file and a tape store hold).
import type { FinishReason, Usage } from '../metrics';
import type { ProviderEvent, ProviderMessage, ProviderTool, ProviderToolCall } from '../providers';

type StepEvent = Extract<ProviderEvent, { type: 'service-step' }>['event'];

/**
 * The part of a {@link ProviderRequest} a tape keeps: what the model call depends on, redacted.
 * Never the execution id or the attempt (volatile); `providerOptions` without the executor's
 * `mock` key (the agent's mock behaviour, which a live call ignores).
 */
export interface TapeRequest {
  agentId: string;
  model: string;
  messages: ProviderMessage[];
  /** The validated input (remote agent services answer from it). */
  input?: unknown;
  tools?: ProviderTool[];
  outputSchema?: { name: string; schema: Record<string, unknown> };
  maxOutputTokens?: number;
  temperature?: number;
  seed?: number;
  providerOptions?: Record<string, unknown>;
}

/** A request field that can take part in a tape key (see `keyFields`). */
export type TapeKeyField = keyof TapeRequest;

/** An error as a tape keeps it: the Agentry error's code, status and redacted message, never its cause. */
export interface TapeError {
  code: string;
  message: string;
  userMessage?: string;
  status: number;
  retryable: boolean;
  provider?: string;
  requestId?: string;
  retryAfterMs?: number;
}

/**
 * A step event of an agent service that runs its own tools (the remote provider's
 * `service-step`), without the execution id (different on every run; a replay gets the run's own).
 */
export type TapeStepEvent = StepEvent extends infer E ? (E extends StepEvent ? Omit<E, 'executionId'> : never) : never;

/** One provider event, with the time it arrived (ms after the call started). Discriminated on `type`. */
export type TapeEvent =
  | { atMs: number; type: 'text-delta'; delta: string }
  | { atMs: number; type: 'usage'; usage: Usage }
  | { atMs: number; type: 'tool-call'; toolCall: ProviderToolCall }
  | { atMs: number; type: 'service-step'; event: TapeStepEvent }
  | {
      atMs: number;
      type: 'finish';
      finishReason: FinishReason;
      rawFinishReason?: string;
      model?: string;
      requestId?: string;
      object?: unknown;
      error?: TapeError;
    };

/** One recorded model call. */
export interface TapeEntry {
  /** `sha256:` + the hex digest of the canonical JSON of the key fields at recording time. */
  key: string;
  /** The executor's attempt number: a retried call replays its recorded attempts in order. */
  attempt: number;
  /** The id of the provider that answered (`openai`, `anthropic`, …). */
  provider: string;
  /** Whether the call was streamed or not (either can replay as the other). */
  call: 'execute' | 'stream';
  /** When it was recorded (ISO 8601). */
  recordedAt: string;
  /** How long the call took, in ms. */
  durationMs: number;
  request: TapeRequest;
  /** What the provider answered, in order, with timing. A complete answer is stored as its events. */
  events: TapeEvent[];
  /** The error the call threw (after `events`), when it failed. */
  error?: TapeError & { atMs: number };
}

/** A tape file: the recorded calls of one agent for one tenant. */
export interface TapeFile {
  format: 'agentry-tape';
  version: 1;
  tenantId: string;
  agentId: string;
  entries: TapeEntry[];
}
