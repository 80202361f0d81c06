// `invoke_agent {agent}` spans (one per execution) and `execute_tool {tool}` spans (one per tool
// call), built from the executor's events. The executor calls `onEvent` synchronously inside
// the run, so the active context at `execution-start` is the host's: a request span there
// becomes the execution's parent.
import { type Attributes, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ExecutionEvent, ExecutionResult } from '../protocol';
import type { TenantContext } from '../tenant';
import { usageAttributes } from './instruments';
import { redactedJson } from './message-content';
import { ATTRIBUTES, OPERATIONS } from './semantic-conventions';
import type { ExecutionTrace, TelemetryState } from './telemetry-state';

/**
 * The tool events of executors with a tool loop (`tool-call`, `tool-result`), read by field so
 * this bridge works with executors that do not emit them yet. Both the flat shape
 * (`toolCallId`, `toolName`) and a nested `toolCall` are accepted.
 */
interface ToolEventFields {
  type: string;
  executionId: string;
  toolCallId?: unknown;
  id?: unknown;
  toolName?: unknown;
  name?: unknown;
  toolCall?: { id?: unknown; name?: unknown; argsText?: unknown; args?: unknown };
  args?: unknown;
  output?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown } | unknown;
  isError?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function startExecution(
  state: TelemetryState,
  event: Extract<ExecutionEvent, { type: 'execution-start' }>,
  tenant: TenantContext,
): void {
  const agent = state.agentNames.get(event.agentId);
  const attributes: Attributes = {
    [ATTRIBUTES.operationName]: OPERATIONS.invokeAgent,
    [state.providerKey]: event.provider,
    [ATTRIBUTES.agentId]: event.agentId,
    [ATTRIBUTES.requestModel]: event.model,
    [ATTRIBUTES.executionId]: event.executionId,
    [ATTRIBUTES.mode]: event.mode,
    [ATTRIBUTES.requestedMode]: event.requestedMode,
  };
  if (agent) attributes[ATTRIBUTES.agentName] = agent.name;
  if (agent?.description) attributes[ATTRIBUTES.agentDescription] = agent.description;
  const tenantId = state.tenantAttribute(tenant.tenantId);
  if (tenantId !== undefined) attributes[ATTRIBUTES.tenantId] = tenantId;
  const parent = context.active();
  const span = state.tracer.startSpan(
    agent ? `${OPERATIONS.invokeAgent} ${agent.name}` : OPERATIONS.invokeAgent,
    {
      kind: state.mode === 'gen_ai_latest_experimental' ? SpanKind.INTERNAL : SpanKind.CLIENT,
      attributes,
    },
    parent,
  );
  state.executions.set(event.executionId, {
    span,
    context: trace.setSpan(parent, span),
    named: agent !== undefined,
    tools: new Map(),
    startedAt: state.now(),
    provider: event.provider,
    model: event.model,
  });
}

function finishExecution(state: TelemetryState, execution: ExecutionTrace, result: ExecutionResult): void {
  const { span } = execution;
  const metrics = result.metrics;
  span.setAttributes(usageAttributes(metrics));
  span.setAttribute(ATTRIBUTES.responseModel, metrics.model);
  span.setAttribute(ATTRIBUTES.status, result.status);
  if (metrics.finishReason !== undefined) span.setAttribute(ATTRIBUTES.responseFinishReasons, [metrics.finishReason]);
  if (metrics.costUsd !== null) span.setAttribute(ATTRIBUTES.costUsd, metrics.costUsd);
  const metricAttributes: Attributes = {
    [ATTRIBUTES.operationName]: OPERATIONS.invokeAgent,
    [state.providerKey]: execution.provider,
    [ATTRIBUTES.requestModel]: execution.model,
    [ATTRIBUTES.responseModel]: metrics.model,
  };
  if (result.status !== 'succeeded') {
    // The executor already redacted the record's error; redact again: telemetry leaves the process.
    span.setAttribute(ATTRIBUTES.errorType, result.error.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: state.redactor.redactString(result.error.message) });
    metricAttributes[ATTRIBUTES.errorType] = result.error.code;
  }
  for (const tool of execution.tools.values()) {
    // A tool still running when the run ended was cut off by it (cancel, timeout).
    tool.span.setAttribute(ATTRIBUTES.errorType, result.status === 'succeeded' ? '_OTHER' : result.error.code);
    tool.span.setStatus({ code: SpanStatusCode.ERROR, message: 'The execution ended before the tool finished.' });
    tool.span.end();
  }
  state.instruments.recordDuration(metrics.durationMs, metricAttributes);
  span.end();
}

function startTool(state: TelemetryState, execution: ExecutionTrace, event: ToolEventFields): void {
  const id = text(event.toolCallId) ?? text(event.id) ?? text(event.toolCall?.id);
  const name = text(event.toolName) ?? text(event.name) ?? text(event.toolCall?.name) ?? 'unknown';
  const attributes: Attributes = {
    [ATTRIBUTES.operationName]: OPERATIONS.executeTool,
    [ATTRIBUTES.toolName]: name,
    [ATTRIBUTES.toolType]: 'function',
    [ATTRIBUTES.executionId]: event.executionId,
  };
  if (id !== undefined) attributes[ATTRIBUTES.toolCallId] = id;
  if (state.captureContent) {
    const args = event.args ?? event.toolCall?.args ?? event.toolCall?.argsText;
    if (args !== undefined) attributes[ATTRIBUTES.toolCallArguments] = redactedJson(args, state.redactor);
  }
  const span = state.tracer.startSpan(
    `${OPERATIONS.executeTool} ${name}`,
    { kind: SpanKind.INTERNAL, attributes },
    execution.context,
  );
  execution.tools.set(id ?? `${name}#${execution.tools.size}`, { span, startedAt: state.now() });
}

function finishTool(state: TelemetryState, execution: ExecutionTrace, event: ToolEventFields): void {
  const id = text(event.toolCallId) ?? text(event.id) ?? text(event.toolCall?.id);
  const key = id ?? [...execution.tools.keys()][0];
  const tool = key === undefined ? undefined : execution.tools.get(key);
  if (!tool || key === undefined) return;
  execution.tools.delete(key);
  const error = event.error as { code?: unknown; message?: unknown } | undefined;
  if (error !== undefined && error !== null) {
    tool.span.setAttribute(ATTRIBUTES.errorType, text(error.code) ?? '_OTHER');
    tool.span.setStatus({
      code: SpanStatusCode.ERROR,
      message: state.redactor.redactString(text(error.message) ?? 'The tool failed.'),
    });
  } else if (event.isError === true) {
    tool.span.setAttribute(ATTRIBUTES.errorType, '_OTHER');
    tool.span.setStatus({ code: SpanStatusCode.ERROR });
  }
  if (state.captureContent) {
    const output = event.output ?? event.result;
    if (output !== undefined) tool.span.setAttribute(ATTRIBUTES.toolCallResult, redactedJson(output, state.redactor));
  }
  tool.span.end();
}

/** The host's `onEvent` hook: opens and closes the spans of each execution. */
export function handleExecutionEvent(state: TelemetryState, event: ExecutionEvent, tenant: TenantContext): void {
  if (event.type === 'execution-start') {
    startExecution(state, event, tenant);
    return;
  }
  const execution = state.executions.get(event.executionId);
  if (!execution) return;
  // Not an exhaustive switch on purpose: events a newer executor adds (steps) must not break
  // this bridge; `tool-call` and `tool-result` are read by name.
  const type: string = event.type;
  if (event.type === 'execution-finish' || event.type === 'execution-error') {
    state.executions.delete(event.executionId);
    finishExecution(state, execution, event.result);
  } else if (type === 'tool-call') {
    startTool(state, execution, event as unknown as ToolEventFields);
  } else if (type === 'tool-result') {
    finishTool(state, execution, event as unknown as ToolEventFields);
  }
}
