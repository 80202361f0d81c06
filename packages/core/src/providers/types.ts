import type { AnyAgent, ChatMessage } from '../agent';
import type { AgentryError } from '../errors';
import type { Logger } from '../logging';
import type { Secret } from '../logging/secret';
import type { FinishReason, Usage } from '../metrics';
import type { ExecutionStep, StepEvent, ToolResultRecord } from '../protocol/execution-step';
import type { TenantContext } from '../tenant';

export type { FinishReason };

/**
 * Per-provider options, keyed by provider id (`{ mock: {…}, openai: {…} }`). Each adapter reads
 * its own key and ignores the others, so one request can carry options for several providers.
 */
export type ProviderOptions = Record<string, Record<string, unknown> | undefined>;

/**
 * One call to a provider (specification v1), built by the executor for each attempt: what a
 * model call needs, and the agent's id, never the agent object.
 */
export interface ProviderRequest {
  /** The id of the agent being run (for errors, logs, and remote agent services). */
  agentId: string;
  /**
   * The validated input (defaults applied), plain JSON data. Model providers build on
   * `messages`; agent services (the remote provider) and the mock answer from the input.
   */
  input: unknown;
  /**
   * The conversation so far: the messages the agent's prompt builder produced, then, on a
   * tool-using agent's later steps, the model's tool calls and the tools' results.
   */
  messages: ProviderMessage[];
  /**
   * The tools the model may call on this step, when the agent has any. Absent for agents
   * without tools; an adapter whose `capabilities.tools` is not `true` never receives them.
   */
  tools?: ProviderTool[];
  /** The model id to call (for mock runs, the model the agent would use live). */
  model: string;
  /** The agent's `model.maxOutputTokens`, when set. */
  maxOutputTokens?: number;
  /** The agent's `model.temperature`, when set. */
  temperature?: number;
  /** The caller's seed, for providers that can be seeded (the mock provider always is). */
  seed?: number;
  /** When the agent has an output schema: its JSON Schema, for the provider's structured output. */
  outputSchema?: { name: string; schema: Record<string, unknown> };
  /** The execution id (stable across retries). */
  executionId: string;
  /** 1 for the first call, 2 for the first retry, … */
  attempt: number;
  /**
   * Options for specific providers, keyed by provider id. The executor fills `mock` from the
   * agent's definition (see {@link MockRequestOptions}); other keys are for adapters' own use.
   */
  providerOptions: ProviderOptions;
}

/** A tool the model may call: its name, what it does, and its input as JSON Schema. */
export interface ProviderTool {
  name: string;
  description: string;
  /** The tool's input as a JSON Schema object (from its zod schema). */
  inputSchema: Record<string, unknown>;
}

/**
 * One tool call the model made. `argsText` is the arguments exactly as the model sent them
 * (JSON text, possibly invalid): the executor parses and validates it, so an invalid call
 * becomes a tool error the model sees, never a crash in the adapter.
 */
export interface ProviderToolCall {
  /** The provider's id for the call (OpenAI `call_…`, Anthropic `toolu_…`), echoed in the result. */
  id: string;
  name: string;
  argsText: string;
}

/** The assistant's turn on a step that called tools: its text, if any, and the calls. */
export interface ProviderAssistantToolCallsMessage {
  role: 'assistant';
  content: string;
  toolCalls: ProviderToolCall[];
}

/** A tool's result, sent back to the model on the next step. */
export interface ProviderToolResultMessage {
  role: 'tool';
  /** The {@link ProviderToolCall.id} this answers. */
  toolCallId: string;
  toolName: string;
  /** The result as JSON text (or the error message, when `isError`). */
  content: string;
  /** `true` when the tool failed or the call was invalid: the model sees the error and may repair. */
  isError?: boolean;
}

/** A message in a provider request: a prompt message, a tool-calling assistant turn, or a tool result. */
export type ProviderMessage = ChatMessage | ProviderAssistantToolCallsMessage | ProviderToolResultMessage;

/** What an adapter can do beyond plain text and structured output. */
export interface ProviderCapabilities {
  /**
   * The adapter sends `request.tools` to the model and reports its calls (`toolCalls` on the
   * response, `tool-call` events on the stream). `createExecutor` refuses an agent with tools
   * on a provider without it. @default false
   */
  tools?: boolean;
}

/**
 * What the executor puts in `providerOptions.mock` for every request: the agent's mock
 * behaviour, derived from its definition (`defineAgent({ mock })`).
 */
export interface MockRequestOptions {
  /** The agent's `mock`: a function, fixtures, or a scripted stream; absent when it has none. */
  mock?: unknown;
  /** The agent's display name (the default answer names it). */
  agentName: string;
  /** Whether the agent has an output schema (then a mock is required). */
  hasOutputSchema: boolean;
}

/** What a provider gets besides the request. */
export interface ProviderContext {
  /** Aborted on cancel and timeout: providers must abort their HTTP request with it. */
  signal: AbortSignal;
  tenant: TenantContext;
  logger: Logger;
}

/** A complete (non-streamed) answer. */
export interface ProviderResponse {
  /** The text the model produced (for structured output, the JSON text). */
  text: string;
  /** The parsed object, when the provider produced structured output itself. */
  object?: unknown;
  /** The tools the model called on this step (then `finishReason` is `tool_calls`). */
  toolCalls?: ProviderToolCall[];
  /**
   * Steps an agent service already ran on its side (its own tools, e.g. a remote Agentry
   * server's): passed through to the record's `steps`. Not for model providers, whose tool
   * calls the executor runs (`toolCalls`).
   */
  steps?: ExecutionStep[];
  /** Usage as the server reported it; `null` when it reported none (unknown, never zeros). */
  usage: Usage | null;
  finishReason: FinishReason;
  /** The finish reason exactly as the server sent it, when it sent one. */
  rawFinishReason?: string;
  /** The model that actually answered (providers may resolve aliases). */
  model?: string;
  /** The provider's request id. */
  requestId?: string;
  /**
   * Set when the model answered (and was billed) but the answer cannot be used: a refusal,
   * structured output that is not JSON, a generation the server ended with an error. The
   * executor keeps `usage` and the finish reason on the record and fails the run with this error.
   */
  error?: AgentryError;
}

/** One event of a streamed answer. Discriminated on `type`. */
export type ProviderEvent =
  | { type: 'text-delta'; delta: string }
  | { type: 'usage'; usage: Usage }
  /** One complete tool call: adapters assemble streamed argument fragments before emitting it. */
  | { type: 'tool-call'; toolCall: ProviderToolCall }
  /**
   * A step event of an agent service that runs its own tools (the remote provider passes a
   * remote Agentry server's through); the executor re-emits it under its own execution id and
   * keeps each finished step on the record. Model providers never send it.
   */
  | { type: 'service-step'; event: StepEvent }
  | {
      type: 'finish';
      finishReason: FinishReason;
      /** The finish reason exactly as the server sent it, when it sent one. */
      rawFinishReason?: string;
      model?: string;
      requestId?: string;
      object?: unknown;
      /** As {@link ProviderResponse.error}: the answer arrived, but cannot be used. Usage events come first. */
      error?: AgentryError;
    };

/** The step whose tool calls a replay answers: the request's messages and the calls the answer made. */
export interface RecordedToolStep {
  agentId: string;
  executionId: string;
  messages: readonly ProviderMessage[];
  toolCalls: readonly ProviderToolCall[];
}

/** A tool call's recorded outcome: the record's result and the message the model gets. */
export interface RecordedToolResult {
  result: ToolResultRecord;
  message: ProviderToolResultMessage;
}

/** A provider's answer to `health()`. */
export interface ProviderHealth {
  /** `ok`: usable; `degraded`: answered slowly or partly; `down`: unreachable or failing; `unconfigured`: missing key or options. */
  status: 'ok' | 'degraded' | 'down' | 'unconfigured';
  /** Whether the provider has what it needs (a key, a base URL). */
  configured: boolean;
  /** How long the check took, when it made a call. */
  latencyMs?: number;
  /** What is wrong, redacted, when not ok. */
  message?: string;
  /**
   * Whether live runs can use this provider for the caller, with the reason in end-user words:
   * the same answer `GET /agents` gives each agent of this provider. Set by the executor's
   * `health()` for every provider but `mock`; a provider's own `health()` leaves it out.
   */
  live?: { available: boolean; reason?: string };
}

/**
 * A provider is a plain, versioned object, so anyone can write one (see docs/providers.md).
 * `execute` is required; `stream` is used when present (else the executor emits `execute`'s
 * text as one delta).
 */
export interface ProviderAdapter {
  /**
   * The version of this contract the adapter implements. `createExecutor` refuses an adapter
   * without one, or with a version it does not know.
   */
  readonly specificationVersion: 'v1';
  /** `mock`, `openai`, `anthropic`, `remote`, or your own. */
  readonly id: string;
  /** What the adapter can do beyond text and structured output (tool calls). */
  readonly capabilities?: ProviderCapabilities;
  /** `true` only for the mock provider: its runs are simulated. @default false */
  readonly simulated?: boolean;
  /** Configured secrets (API keys). The executor redacts their exact values everywhere. */
  readonly secrets?: readonly Secret[];
  /**
   * Whether the provider has what it needs to run (an API key, a base URL), known without a
   * network call. `false` makes live mode unavailable for its agents everywhere it is reported:
   * `GET /agents`, `/health` and the TestPanel, and live runs are refused before they start.
   * A provider whose `health()` can answer `unconfigured` should set it. @default true
   */
  readonly configured?: boolean;
  /**
   * Says why this provider cannot run an agent as configured (a model setting it cannot
   * honour), or `undefined` when it can. `createExecutor` calls it for every agent that names
   * this provider, so such a setting fails at configuration time, never silently at run time.
   */
  checkAgent?(agent: AnyAgent): string | undefined;
  execute(request: ProviderRequest, context: ProviderContext): Promise<ProviderResponse>;
  stream?(request: ProviderRequest, context: ProviderContext): AsyncIterable<ProviderEvent>;
  /**
   * Replay only (tape providers): the recorded results of the tool calls the answer just served
   * asked for, so the executor gives the model those instead of calling the agent's tools.
   * `undefined`: run the tools (the answer was live, or `replayTools: 'live'`). Never throws.
   */
  recordedToolResults?(step: RecordedToolStep, context: ProviderContext): Promise<RecordedToolResult[] | undefined>;
  /**
   * Replay only: `'recorded'` when every call of the run was answered from a recording, so its
   * usage and cost are the recorded calls' (`metrics.usageSource`). Asked once, when the record is built.
   */
  usageSourceOf?(executionId: string): 'recorded' | 'reported';
  health?(context: { signal: AbortSignal }): Promise<ProviderHealth>;
}
