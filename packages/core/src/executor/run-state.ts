import type { Usage } from '../metrics';
import { mergeUsage, unknownUsage } from '../metrics/usage';
import type { ExecutionStep, StepEvent } from '../protocol';
import type { FinishReason, ProviderEvent, ProviderResponse, ProviderToolCall } from '../providers';
import { isoNow } from './clock';

/** What a run has gathered so far, across its attempts: the data `finish` turns into a record. */
export interface RunState {
  readonly executionId: string;
  /** `performance.now()` when the run started. */
  readonly start: number;
  /** When the run started, as an ISO 8601 string. */
  readonly startedAt: string;
  attempts: number;
  text: string;
  /** The parsed object, when the provider produced structured output itself. */
  object: unknown;
  /** Tokens a provider did not report stay unknown (null), never 0. */
  usage: Usage;
  /**
   * Cost is only known once a provider reported usage: a run that failed before that may still
   * have been billed, so its cost is unknown (null), not $0.
   */
  usageReported: boolean;
  /** The model that answered (the agent's, until a provider names another). */
  model: string;
  finishReason: FinishReason | undefined;
  rawFinishReason: string | undefined;
  /** `performance.now()` at the first output, or null before it. */
  firstOutputAt: number | null;
  /** A tool-using run's steps so far (the record's `steps`); undefined for agents without tools. */
  steps: ExecutionStep[] | undefined;
  /** The tool calls of the step being made; undefined outside a tool-using run's step. */
  toolCalls: ProviderToolCall[] | undefined;
  /**
   * The usage of a tool-using run's finished steps; `usage` is then the current step's. The
   * run's usage is their sum ({@link runUsage}).
   */
  priorUsage: Usage | undefined;
}

/** `startedAt`: the ISO time the run registered with (its lease's), or now. */
export function createRunState(executionId: string, model: string, start: number, startedAt = isoNow()): RunState {
  return {
    executionId,
    start,
    startedAt,
    attempts: 0,
    text: '',
    object: undefined,
    usage: unknownUsage(),
    usageReported: false,
    model,
    finishReason: undefined,
    rawFinishReason: undefined,
    firstOutputAt: null,
    steps: undefined,
    toolCalls: undefined,
    priorUsage: undefined,
  };
}

/** Two usages added: a count unknown in either stays unknown (never guessed as 0). */
export function addUsage(first: Usage, second: Usage): Usage {
  const sum: Usage = {
    inputTokens:
      first.inputTokens === null || second.inputTokens === null ? null : first.inputTokens + second.inputTokens,
    outputTokens:
      first.outputTokens === null || second.outputTokens === null ? null : first.outputTokens + second.outputTokens,
  };
  if (first.cachedInputTokens !== undefined || second.cachedInputTokens !== undefined)
    sum.cachedInputTokens = (first.cachedInputTokens ?? 0) + (second.cachedInputTokens ?? 0);
  if (first.reasoningTokens !== undefined || second.reasoningTokens !== undefined)
    sum.reasoningTokens = (first.reasoningTokens ?? 0) + (second.reasoningTokens ?? 0);
  return sum;
}

/** The run's usage so far: every step's, for a tool-using run. */
export function runUsage(state: RunState): Usage {
  return state.priorUsage === undefined ? state.usage : addUsage(state.priorUsage, state.usage);
}

/** Where a run's output goes as it arrives (the caller's stream, with redaction). */
export interface OutputSink {
  /** New text. `whole`: it is the complete answer (from `execute()`), so nothing is held back. */
  text(delta: string, whole: boolean): void;
  /** Usage changed (read it from the state). */
  usage(): void;
  /**
   * The attempt's text to come is known before its first delta (a mock's answer): a sink may
   * check it once instead of chunk by chunk.
   */
  textAhead?(text: string): void;
  /** A step event of an agent service that runs its own tools (its finished steps go to `state.steps`). */
  serviceStep(event: StepEvent): void;
}

/**
 * A provider's `execute()` answer as the events its `stream()` would have sent, so the
 * pipeline has one provider path: the attempt only ever consumes events. Each goes to `emit`,
 * in order, with `a`, `b`, `c` (passed, not closed over: this runs on every call, and neither a
 * closure nor a list of the events is made).
 */
export function emitResponseEvents<A, B, C>(
  response: ProviderResponse,
  emit: (event: ProviderEvent, a: A, b: B, c: C) => void,
  a: A,
  b: B,
  c: C,
): void {
  // Answered and billed, but unusable (a refusal, bad JSON): no text, the usage, then the error.
  // A step that only called tools said nothing: no output.
  if (!response.error && (response.text !== '' || response.toolCalls === undefined))
    emit({ type: 'text-delta', delta: response.text }, a, b, c);
  if (!response.error && response.toolCalls) {
    for (const toolCall of response.toolCalls) emit({ type: 'tool-call', toolCall }, a, b, c);
  }
  if (response.steps)
    for (const step of response.steps) for (const event of serviceStepEvents(step)) emit(event, a, b, c);
  if (response.usage) emit({ type: 'usage', usage: response.usage }, a, b, c);
  const finish: ProviderEvent = { type: 'finish', finishReason: response.finishReason };
  if (response.rawFinishReason !== undefined) finish.rawFinishReason = response.rawFinishReason;
  if (response.model !== undefined) finish.model = response.model;
  if (response.requestId !== undefined) finish.requestId = response.requestId;
  if (response.object !== undefined) finish.object = response.object;
  if (response.error !== undefined) finish.error = response.error;
  emit(finish, a, b, c);
}

const pushEvent = (event: ProviderEvent, events: ProviderEvent[]): void => {
  events.push(event);
};

/** {@link emitResponseEvents} as a list. */
export function responseEvents(response: ProviderResponse): ProviderEvent[] {
  const events: ProviderEvent[] = [];
  emitResponseEvents(response, pushEvent, events, undefined, undefined);
  return events;
}

/** A finished service step as the events a stream would have sent for it. */
function serviceStepEvents(step: ExecutionStep): ProviderEvent[] {
  const executionId = '';
  const events: ProviderEvent[] = [
    { type: 'service-step', event: { type: 'step-start', executionId, index: step.index } },
  ];
  for (const toolCall of step.toolCalls)
    events.push({ type: 'service-step', event: { type: 'tool-call', executionId, stepIndex: step.index, toolCall } });
  for (const toolResult of step.toolResults)
    events.push({
      type: 'service-step',
      event: { type: 'tool-result', executionId, stepIndex: step.index, toolResult },
    });
  events.push({ type: 'service-step', event: { type: 'step-finish', executionId, step } });
  return events;
}

/**
 * Applies one provider event to the state and passes output on to the sink. `whole`: the
 * events came from `execute()`. Throws a finish event's error (the answer arrived, its usage
 * is kept, but it cannot be used).
 */
export function applyEvent(state: RunState, event: ProviderEvent, sink: OutputSink, whole: boolean, now: number): void {
  switch (event.type) {
    case 'text-delta':
      // A complete answer is output even when empty; a stream's empty chunk is not.
      if (state.firstOutputAt === null && (whole || event.delta !== '')) state.firstOutputAt = now;
      if (event.delta === '') return;
      state.text += event.delta;
      sink.text(event.delta, whole);
      return;
    case 'usage':
      state.usage = mergeUsage(state.usage, event.usage);
      state.usageReported = true;
      sink.usage();
      return;
    case 'finish':
      state.finishReason = event.finishReason;
      state.rawFinishReason = event.rawFinishReason;
      if (event.model) state.model = event.model;
      if (event.error) throw event.error;
      if (event.object !== undefined) state.object = event.object;
      return;
    case 'tool-call':
      // Collected for the step loop; a run without tools never offers any, and ignores stray calls.
      state.toolCalls?.push(event.toolCall);
      return;
    case 'service-step':
      sink.serviceStep(event.event);
      return;
    default:
      event satisfies never;
  }
}
