// `@agentry/core/otel`: the OpenTelemetry bridge, following the GenAI semantic conventions
// (v1.41). `@opentelemetry/api` is an optional peer: only this entry imports it.

export type { AgentryTelemetry, AgentryTelemetryOptions } from './create-telemetry';
export { createAgentryTelemetry } from './create-telemetry';
export type { SemanticConventionsMode } from './semantic-conventions';
export { DURATION_BUCKETS, TOKEN_USAGE_BUCKETS } from './semantic-conventions';
export type { TenantIdPolicy } from './tenant-attribute';
export { formatTraceparent, parseTraceparent, traceHeaders, withTraceContext } from './trace-context';
