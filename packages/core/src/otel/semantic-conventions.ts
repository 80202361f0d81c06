// The OpenTelemetry GenAI semantic conventions this bridge follows: v1.41.0 of
// open-telemetry/semantic-conventions (docs/gen-ai/gen-ai-spans.md, gen-ai-agent-spans.md,
// gen-ai-metrics.md, model/gen-ai/registry.yaml). Names are copied from the specification,
// never invented; the few Agentry-specific ones live under `agentry.*`.
import { readEnvironment } from '../internal/read-environment';

/** The schema of the names emitted (v1.41.0). */
export const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.41.0';

export const ATTRIBUTES = {
  operationName: 'gen_ai.operation.name',
  /** v1.37+ name of the provider attribute (emitted with `gen_ai_latest_experimental`). */
  providerName: 'gen_ai.provider.name',
  /** v1.36 name of the same attribute (the default; see {@link SemanticConventionsMode}). */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestSeed: 'gen_ai.request.seed',
  requestStream: 'gen_ai.request.stream',
  outputType: 'gen_ai.output.type',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  tokenType: 'gen_ai.token.type',
  agentId: 'gen_ai.agent.id',
  agentName: 'gen_ai.agent.name',
  agentDescription: 'gen_ai.agent.description',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolType: 'gen_ai.tool.type',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  errorType: 'error.type',
  // Agentry's own: who ran what, for correlation with the execution record and the logs.
  tenantId: 'agentry.tenant.id',
  executionId: 'agentry.execution.id',
  mode: 'agentry.execution.mode',
  requestedMode: 'agentry.execution.requested_mode',
  status: 'agentry.execution.status',
  attempt: 'agentry.attempt',
  costUsd: 'agentry.cost_usd',
} as const;

export const OPERATIONS = { chat: 'chat', invokeAgent: 'invoke_agent', executeTool: 'execute_tool' } as const;

export const METRICS = {
  tokenUsage: 'gen_ai.client.token.usage',
  operationDuration: 'gen_ai.client.operation.duration',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
} as const;

/** `gen_ai.client.token.usage`: ExplicitBucketBoundaries from gen-ai-metrics.md (v1.41.0). */
export const TOKEN_USAGE_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** `gen_ai.client.operation.duration` and `…time_to_first_chunk`, in seconds (v1.41.0). */
export const DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/**
 * Which version of the GenAI conventions to emit where they differ. The specification asks
 * instrumentations to keep the v1.36 names by default and emit the latest ones only when
 * `OTEL_SEMCONV_STABILITY_OPT_IN` lists `gen_ai_latest_experimental`:
 * - `default`: the provider is `gen_ai.system`; `invoke_agent` spans are `CLIENT` (v1.36).
 * - `gen_ai_latest_experimental`: the provider is `gen_ai.provider.name`; `invoke_agent` is an
 *   `INTERNAL` span, as v1.41 specifies for agents that run in the same process.
 * Everything that has one name in both (the usage, finish reasons, the metrics) is the same.
 */
export type SemanticConventionsMode = 'default' | 'gen_ai_latest_experimental';

/** The mode `OTEL_SEMCONV_STABILITY_OPT_IN` (a comma-separated list) asks for. */
export function modeFromEnvironment(value = readEnvironment('OTEL_SEMCONV_STABILITY_OPT_IN')): SemanticConventionsMode {
  const categories = (value ?? '').split(',').map((category) => category.trim());
  return categories.includes('gen_ai_latest_experimental') ? 'gen_ai_latest_experimental' : 'default';
}

/** The attribute that names the provider in this mode. */
export function providerAttribute(mode: SemanticConventionsMode): string {
  return mode === 'gen_ai_latest_experimental' ? ATTRIBUTES.providerName : ATTRIBUTES.system;
}
