import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import type { AnyAgent } from '../agent';
import type { ExecutorOptions } from '../executor';
import { createRedactor, type Redactor } from '../logging';
import type { Secret } from '../logging/secret';
import type { ExecutionEvent } from '../protocol';
import type { ProviderAdapter } from '../providers';
import { mockProvider } from '../providers/mock';
import type { TenantContext } from '../tenant';
import { instrumentProvider } from './chat-spans';
import { handleExecutionEvent } from './execution-spans';
import { createInstruments } from './instruments';
import {
  modeFromEnvironment,
  providerAttribute,
  SCHEMA_URL,
  type SemanticConventionsMode,
} from './semantic-conventions';
import type { TelemetryState } from './telemetry-state';
import { createTenantAttribute, type TenantIdPolicy } from './tenant-attribute';

const INSTRUMENTATION_SCOPE = '@agentry/core';

/** Options for {@link createAgentryTelemetry}. */
export interface AgentryTelemetryOptions {
  /** Where spans go. @default the global tracer provider (`trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
  /** Where the GenAI metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  meterProvider?: MeterProvider;
  /**
   * Record message content: `gen_ai.input.messages` and `gen_ai.output.messages` on `chat`
   * spans, tool arguments and results on `execute_tool` spans. Opt-in, as the conventions
   * require; redacted (API-key shapes, bearer tokens, providers' configured keys, `secrets`)
   * before it is set. Prompts may still hold personal data: turn it on only where your
   * telemetry backend may store it. @default false
   */
  captureContent?: boolean;
  /**
   * How the tenant id appears as `agentry.tenant.id`: `'plain'`, `'sha256'` (hex SHA-256 of
   * `tenantIdSalt + tenantId`), `'omit'`, or your own function (e.g. an HMAC).
   * @default 'plain'
   */
  tenantId?: TenantIdPolicy;
  /** Prefix hashed with the tenant id under `tenantId: 'sha256'`, so ids cannot be guessed back by hashing candidates. @default '' */
  tenantIdSalt?: string;
  /**
   * Which names to emit where the GenAI conventions changed (see docs/otel.md).
   * @default 'gen_ai_latest_experimental' when `OTEL_SEMCONV_STABILITY_OPT_IN` lists it, else 'default'
   */
  semanticConventions?: SemanticConventionsMode;
  /** Extra exact values to redact from captured content (providers' keys are added automatically). */
  secrets?: readonly (string | Secret)[];
}

/** The bridge: hand `onEvent` and the instrumented providers to `createExecutor`, or let `instrument` do it. */
export interface AgentryTelemetry {
  /** The executor's `onEvent` hook: `invoke_agent` and `execute_tool` spans, and the execution metrics. */
  onEvent(event: ExecutionEvent, context: { tenant: TenantContext }): void;
  /** A provider whose model calls are `chat {model}` spans. Wrapping twice is a no-op. */
  instrumentProvider(provider: ProviderAdapter): ProviderAdapter;
  /**
   * Executor options with telemetry wired in: every provider instrumented (the default `mock`
   * provider included), `onEvent` chained before yours, agents' names known to the spans.
   */
  instrument<TOptions extends ExecutorOptions<readonly AnyAgent[]>>(options: TOptions): TOptions;
  /** The redactor applied to captured content and error messages. */
  readonly redactor: Redactor;
}

/**
 * Creates the OpenTelemetry bridge (GenAI semantic conventions v1.41): an `invoke_agent`
 * span per execution, a `chat` CLIENT span per model call, an `execute_tool` span per tool
 * call, and the metrics `gen_ai.client.token.usage`, `gen_ai.client.operation.duration` and
 * `gen_ai.client.operation.time_to_first_chunk`.
 *
 * ```ts
 * const telemetry = createAgentryTelemetry({ tenantId: 'sha256' });
 * const executor = createExecutor(telemetry.instrument({ agents, providers, onEvent }));
 * ```
 */
export function createAgentryTelemetry(options: AgentryTelemetryOptions = {}): AgentryTelemetry {
  const mode = options.semanticConventions ?? modeFromEnvironment();
  if (mode !== 'default' && mode !== 'gen_ai_latest_experimental') {
    throw new TypeError(
      `createAgentryTelemetry: \`semanticConventions\` must be 'default' or 'gen_ai_latest_experimental', got ${JSON.stringify(mode)}.`,
    );
  }
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const meterProvider = options.meterProvider ?? metrics.getMeterProvider();
  const state: TelemetryState = {
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE, undefined, { schemaUrl: SCHEMA_URL }),
    instruments: createInstruments(meterProvider.getMeter(INSTRUMENTATION_SCOPE, undefined, { schemaUrl: SCHEMA_URL })),
    redactor: createRedactor(options.secrets ?? []),
    mode,
    providerKey: providerAttribute(mode),
    captureContent: options.captureContent === true,
    tenantAttribute: createTenantAttribute(options.tenantId ?? 'plain', options.tenantIdSalt ?? ''),
    agentNames: new Map(),
    executions: new Map(),
    now: () => performance.now(),
  };

  function onEvent(event: ExecutionEvent, eventContext: { tenant: TenantContext }): void {
    handleExecutionEvent(state, event, eventContext.tenant);
  }

  function instrument<TOptions extends ExecutorOptions<readonly AnyAgent[]>>(executorOptions: TOptions): TOptions {
    // The executor's own secrets are redacted from captured content too.
    if (executorOptions.secrets) state.redactor.addSecrets(executorOptions.secrets);
    for (const agent of executorOptions.agents ?? []) {
      if (agent?.kind === 'agentry.agent') {
        const described = agent.description
          ? { name: agent.name, description: agent.description }
          : { name: agent.name };
        state.agentNames.set(agent.id, described);
      }
    }
    const providers: Record<string, ProviderAdapter> = { mock: mockProvider(), ...executorOptions.providers };
    const instrumented = Object.fromEntries(
      Object.entries(providers).map(([key, provider]) => [key, instrumentProvider(state, provider)]),
    );
    const hostOnEvent = executorOptions.onEvent;
    return {
      ...executorOptions,
      providers: instrumented,
      onEvent: hostOnEvent
        ? (event: ExecutionEvent, eventContext: { tenant: TenantContext }) => {
            onEvent(event, eventContext);
            hostOnEvent(event, eventContext);
          }
        : onEvent,
    };
  }

  return {
    onEvent,
    instrumentProvider: (provider) => instrumentProvider(state, provider),
    instrument,
    redactor: state.redactor,
  };
}
