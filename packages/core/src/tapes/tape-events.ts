// Between provider answers and tape events, both ways: a complete answer is kept as events, and
// either kind of call replays from them.
import { type AgentryError, deserializeError, isAgentryErrorCode, type SerializedAgentryError } from '../errors';
import type { Redactor } from '../logging';
import { mergeUsage, unknownUsage } from '../metrics/usage';
import type { ProviderEvent, ProviderResponse, ProviderToolCall } from '../providers';
import { redactJsonText, redactToolCall } from './redact-json-text';
import type { TapeError, TapeEvent, TapeStepEvent } from './tape-types';

type ExecutionStep = NonNullable<ProviderResponse['steps']>[number];

/** An error as a tape keeps it: code, status, retryability and the redacted messages; no cause, no execution id. */
export function toTapeError(error: AgentryError, redactor: Redactor): TapeError {
  const out: TapeError = {
    code: error.code,
    message: redactor.redactString(error.message),
    userMessage: redactor.redactString(error.userMessage),
    status: error.status,
    retryable: error.retryable,
  };
  if (error.provider !== undefined) out.provider = error.provider;
  if (error.requestId !== undefined) out.requestId = error.requestId;
  if (error.retryAfterMs !== undefined) out.retryAfterMs = error.retryAfterMs;
  return out;
}

/** The Agentry error a recorded one stands for (an unknown code becomes `provider_error`). */
export function fromTapeError(error: TapeError): AgentryError {
  const { code, ...rest } = error;
  const known = isAgentryErrorCode(code) ? code : 'provider_error';
  return deserializeError({ ...rest, code: known } as SerializedAgentryError);
}

/** A complete answer as tape events, all at `atMs` (redacted). */
export function responseToTapeEvents(response: ProviderResponse, atMs: number, redactor: Redactor): TapeEvent[] {
  const events: TapeEvent[] = [];
  for (const step of response.steps ?? []) {
    events.push({ atMs, type: 'service-step', event: { type: 'step-finish', step: redactor.redactValue(step) } });
  }
  if (response.text !== '') events.push({ atMs, type: 'text-delta', delta: redactJsonText(response.text, redactor) });
  for (const toolCall of response.toolCalls ?? []) {
    events.push({ atMs, type: 'tool-call', toolCall: redactToolCall(toolCall, redactor) });
  }
  if (response.usage !== null) events.push({ atMs, type: 'usage', usage: { ...response.usage } });
  events.push(finishEvent(response, atMs, redactor));
  return events;
}

/** The `finish` tape event of a finish provider event or a complete answer. */
export function finishEvent(
  finish: Omit<Extract<ProviderEvent, { type: 'finish' }>, 'type'>,
  atMs: number,
  redactor: Redactor,
): TapeEvent {
  const event: Extract<TapeEvent, { type: 'finish' }> = { atMs, type: 'finish', finishReason: finish.finishReason };
  if (finish.rawFinishReason !== undefined) event.rawFinishReason = finish.rawFinishReason;
  if (finish.model !== undefined) event.model = finish.model;
  if (finish.requestId !== undefined) event.requestId = finish.requestId;
  if (finish.object !== undefined) event.object = redactor.redactValue(finish.object);
  if (finish.error !== undefined) event.error = toTapeError(finish.error, redactor);
  return event;
}

/** A service's step event as a tape keeps it: redacted, without the run's execution id. */
export function toTapeStepEvent(
  event: Extract<ProviderEvent, { type: 'service-step' }>['event'],
  redactor: Redactor,
): TapeStepEvent {
  const { executionId: _executionId, ...rest } = event;
  return redactor.redactValue(rest) as TapeStepEvent;
}

/** The provider event a tape event replays as (a service's step event under `executionId`, the replaying run's). */
export function toProviderEvent(event: TapeEvent, executionId = ''): ProviderEvent {
  switch (event.type) {
    case 'service-step':
      return {
        type: 'service-step',
        event: { ...structuredClone(event.event), executionId } as Extract<
          ProviderEvent,
          { type: 'service-step' }
        >['event'],
      };
    case 'text-delta':
      return { type: 'text-delta', delta: event.delta };
    case 'usage':
      return { type: 'usage', usage: { ...event.usage } };
    case 'tool-call':
      return { type: 'tool-call', toolCall: { ...event.toolCall } };
    case 'finish': {
      const out: Extract<ProviderEvent, { type: 'finish' }> = { type: 'finish', finishReason: event.finishReason };
      if (event.rawFinishReason !== undefined) out.rawFinishReason = event.rawFinishReason;
      if (event.model !== undefined) out.model = event.model;
      if (event.requestId !== undefined) out.requestId = event.requestId;
      if (event.object !== undefined) out.object = structuredClone(event.object);
      if (event.error !== undefined) out.error = fromTapeError(event.error);
      return out;
    }
    default:
      return event satisfies never;
  }
}

/** The complete answer recorded events add up to (for a non-streamed replay). */
export function tapeEventsToResponse(events: readonly TapeEvent[]): ProviderResponse {
  let text = '';
  const toolCalls: ProviderToolCall[] = [];
  let usage = unknownUsage();
  let usageReported = false;
  let finish: Extract<TapeEvent, { type: 'finish' }> | undefined;
  const steps: ExecutionStep[] = [];
  for (const event of events) {
    if (event.type === 'service-step') {
      if (event.event.type === 'step-finish') steps.push(structuredClone(event.event.step));
    } else if (event.type === 'text-delta') text += event.delta;
    else if (event.type === 'tool-call') toolCalls.push({ ...event.toolCall });
    else if (event.type === 'usage') {
      usage = mergeUsage(usage, event.usage);
      usageReported = true;
    } else finish = event;
  }
  const response: ProviderResponse = {
    text,
    usage: usageReported ? usage : null,
    finishReason: finish?.finishReason ?? 'other',
  };
  if (toolCalls.length > 0) response.toolCalls = toolCalls;
  if (steps.length > 0) response.steps = steps;
  if (finish !== undefined) {
    const provider = toProviderEvent(finish) as Extract<ProviderEvent, { type: 'finish' }>;
    if (provider.rawFinishReason !== undefined) response.rawFinishReason = provider.rawFinishReason;
    if (provider.model !== undefined) response.model = provider.model;
    if (provider.requestId !== undefined) response.requestId = provider.requestId;
    if (provider.object !== undefined) response.object = provider.object;
    if (provider.error !== undefined) response.error = provider.error;
  }
  return response;
}
