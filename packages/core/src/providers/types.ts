import type { AnyAgent, ChatMessage, ExecutionMode } from '../agent';
import type { AgentryError } from '../errors';
import type { Logger } from '../logging';
import type { Secret } from '../logging/secret';
import type { FinishReason, Usage } from '../metrics';
import type { TenantContext } from '../tenant';

export type { FinishReason };

/** One call to a provider, built by the executor from the agent and the validated input. */
export interface ProviderRequest {
  /** The agent being run (its mock behaviour, schemas and model settings). */
  agent: AnyAgent;
  /** The validated input (defaults applied). */
  input: unknown;
  /** The messages the agent's prompt builder produced. */
  messages: ChatMessage[];
  /** The model id to call (for mock runs, the model the agent would use live). */
  model: string;
  maxOutputTokens?: number;
  temperature?: number;
  /** When the agent has an output schema: its JSON Schema, for the provider's structured output. */
  outputSchema?: { name: string; schema: Record<string, unknown> };
  /** Which mode the executor runs. */
  mode: ExecutionMode;
  /** The execution id (stable across retries). */
  executionId: string;
  /** 1 for the first call, 2 for the first retry, … */
  attempt: number;
  /** The caller's seed, for providers that can be seeded (the mock provider always is). */
  seed?: number;
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
 * A provider is a plain object, so anyone can write one. `execute` is required; `stream` is
 * used when present (else the executor emits `execute`'s text as one delta).
 */
export interface ProviderAdapter {
  /** `mock`, `openai`, `anthropic`, `remote`, or your own. */
  readonly id: string;
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
  health?(context: { signal: AbortSignal }): Promise<ProviderHealth>;
}
