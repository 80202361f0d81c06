import type { Context, Span, Tracer } from '@opentelemetry/api';
import type { Redactor } from '../logging';
import type { Instruments } from './instruments';
import type { SemanticConventionsMode } from './semantic-conventions';

/** The open `invoke_agent` span of one execution, and the tool calls running inside it. */
export interface ExecutionTrace {
  span: Span;
  /** The context with `span` active: the parent of its `chat` and `execute_tool` spans. */
  context: Context;
  /** Whether `gen_ai.agent.name` is known (set at start, or from the first model call). */
  named: boolean;
  tools: Map<string, { span: Span; startedAt: number }>;
  startedAt: number;
  /** The provider attribute's value, for the execution's metrics. */
  provider: string;
  model: string;
}

/** What the span builders share; built once by `createAgentryTelemetry`. */
export interface TelemetryState {
  tracer: Tracer;
  instruments: Instruments;
  redactor: Redactor;
  mode: SemanticConventionsMode;
  /** The attribute that names the provider in `mode` (`gen_ai.system` or `gen_ai.provider.name`). */
  providerKey: string;
  captureContent: boolean;
  tenantAttribute(tenantId: string): string | undefined;
  /** Display names by agent id, from the agents the host passed to `instrument()`. */
  agentNames: Map<string, { name: string; description?: string }>;
  /** Open executions by execution id; removed by their terminal event. */
  executions: Map<string, ExecutionTrace>;
  now(): number;
}
