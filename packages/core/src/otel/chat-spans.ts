// `chat {model}` CLIENT spans, one per model call, from a wrapper around any provider (spec v1):
// the executor needs no hook. The call runs with its span active, so what the provider does
// underneath (an HTTP client's own spans, the remote provider's `traceparent` header) joins the
// trace as its child.
import { type Attributes, type Context, context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { isAgentryError } from '../errors';
import type { Usage } from '../metrics';
import { mergeUsage } from '../metrics/usage';
import type {
  MockRequestOptions,
  ProviderAdapter,
  ProviderContext,
  ProviderEvent,
  ProviderRequest,
  ProviderResponse,
  ProviderToolCall,
} from '../providers';
import { usageAttributes } from './instruments';
import { inputMessagesAttribute, outputMessagesAttribute } from './message-content';
import { ATTRIBUTES, OPERATIONS } from './semantic-conventions';
import type { TelemetryState } from './telemetry-state';

const INSTRUMENTED = Symbol.for('agentry.otel.instrumented');

/** What one model call has produced so far. */
interface ChatCall {
  span: Span;
  context: Context;
  startedAt: number;
  streaming: boolean;
  provider: string;
  requestModel: string;
  firstChunkAt?: number;
  usage: Usage | null;
  text: string;
  toolCalls: ProviderToolCall[];
  finishReason?: string;
  responseModel?: string;
  /** The error an answer arrived with (a refusal, invalid structured output): the call failed. */
  answerError?: unknown;
  /** The call's signal: when it fired, its reason (cancel, a deadline) is why the call failed. */
  signal: AbortSignal;
  ended: boolean;
}

/** Names the execution's span from the request when `instrument()` did not know the agent. */
function nameExecution(state: TelemetryState, request: ProviderRequest): void {
  const execution = state.executions.get(request.executionId);
  if (!execution || execution.named) return;
  const mock = request.providerOptions.mock as Partial<MockRequestOptions> | undefined;
  if (typeof mock?.agentName !== 'string' || mock.agentName === '') return;
  execution.named = true;
  execution.span.setAttribute(ATTRIBUTES.agentName, mock.agentName);
  execution.span.updateName(`${OPERATIONS.invokeAgent} ${mock.agentName}`);
}

function startChat(
  state: TelemetryState,
  provider: ProviderAdapter,
  request: ProviderRequest,
  providerContext: ProviderContext,
  streaming: boolean,
): ChatCall {
  nameExecution(state, request);
  const attributes: Attributes = {
    [ATTRIBUTES.operationName]: OPERATIONS.chat,
    [state.providerKey]: provider.id,
    [ATTRIBUTES.requestModel]: request.model,
    [ATTRIBUTES.requestStream]: streaming,
    [ATTRIBUTES.outputType]: request.outputSchema ? 'json' : 'text',
    [ATTRIBUTES.executionId]: request.executionId,
    [ATTRIBUTES.attempt]: request.attempt,
  };
  if (request.maxOutputTokens !== undefined) attributes[ATTRIBUTES.requestMaxTokens] = request.maxOutputTokens;
  if (request.temperature !== undefined) attributes[ATTRIBUTES.requestTemperature] = request.temperature;
  if (request.seed !== undefined) attributes[ATTRIBUTES.requestSeed] = request.seed;
  const tenantId = state.tenantAttribute(providerContext.tenant.tenantId);
  if (tenantId !== undefined) attributes[ATTRIBUTES.tenantId] = tenantId;
  if (state.captureContent)
    attributes[ATTRIBUTES.inputMessages] = inputMessagesAttribute(request.messages, state.redactor);
  const parent = state.executions.get(request.executionId)?.context ?? context.active();
  const span = state.tracer.startSpan(
    `${OPERATIONS.chat} ${request.model}`,
    { kind: SpanKind.CLIENT, attributes },
    parent,
  );
  return {
    span,
    context: trace.setSpan(parent, span),
    startedAt: state.now(),
    streaming,
    provider: provider.id,
    requestModel: request.model,
    usage: null,
    text: '',
    toolCalls: [],
    signal: providerContext.signal,
    ended: false,
  };
}

function observe(state: TelemetryState, call: ChatCall, event: ProviderEvent): void {
  if (call.firstChunkAt === undefined) call.firstChunkAt = state.now();
  switch (event.type) {
    case 'text-delta':
      if (state.captureContent) call.text += event.delta;
      break;
    case 'usage':
      call.usage = call.usage ? mergeUsage(call.usage, event.usage) : event.usage;
      break;
    case 'tool-call':
      call.toolCalls.push(event.toolCall);
      break;
    case 'finish':
      call.finishReason = event.finishReason;
      if (event.model !== undefined) call.responseModel = event.model;
      if (event.error !== undefined) call.answerError = event.error;
      break;
    case 'service-step':
      // A remote agent service's own steps: the remote server's telemetry records them (traceparent links it).
      break;
    default:
      event satisfies never;
  }
}

/** Ends the call's span and records its metrics; `failure` is what was thrown, or the answer's own error. */
function endChat(state: TelemetryState, call: ChatCall, thrown: unknown): void {
  if (call.ended) return;
  // An SDK aborted by our signal throws its own abort error; the signal's reason says why.
  const failure = thrown !== undefined && call.signal.aborted ? (call.signal.reason ?? thrown) : thrown;
  call.ended = true;
  const { span } = call;
  const metricAttributes: Attributes = {
    [ATTRIBUTES.operationName]: OPERATIONS.chat,
    [state.providerKey]: call.provider,
    [ATTRIBUTES.requestModel]: call.requestModel,
  };
  if (call.responseModel !== undefined) {
    span.setAttribute(ATTRIBUTES.responseModel, call.responseModel);
    metricAttributes[ATTRIBUTES.responseModel] = call.responseModel;
  }
  span.setAttributes(usageAttributes(call.usage));
  if (call.finishReason !== undefined) span.setAttribute(ATTRIBUTES.responseFinishReasons, [call.finishReason]);
  if (call.streaming && call.firstChunkAt !== undefined) {
    const seconds = (call.firstChunkAt - call.startedAt) / 1000;
    span.setAttribute(ATTRIBUTES.responseTimeToFirstChunk, seconds);
    state.instruments.recordTimeToFirstChunk(call.firstChunkAt - call.startedAt, metricAttributes);
  }
  if (state.captureContent && failure === undefined) {
    span.setAttribute(
      ATTRIBUTES.outputMessages,
      outputMessagesAttribute(
        { text: call.text, toolCalls: call.toolCalls, finishReason: call.finishReason },
        state.redactor,
      ),
    );
  }
  if (failure !== undefined) {
    const errorType = isAgentryError(failure) ? failure.code : '_OTHER';
    const message = failure instanceof Error ? failure.message : 'The model call failed.';
    span.setAttribute(ATTRIBUTES.errorType, errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, message: state.redactor.redactString(message) });
    metricAttributes[ATTRIBUTES.errorType] = errorType;
  }
  state.instruments.recordDuration(state.now() - call.startedAt, metricAttributes);
  state.instruments.recordUsage(call.usage, metricAttributes);
  span.end();
}

function recordResponse(call: ChatCall, response: ProviderResponse): void {
  call.usage = response.usage;
  call.text = response.text;
  call.toolCalls = response.toolCalls ?? [];
  call.finishReason = response.finishReason;
  if (response.model !== undefined) call.responseModel = response.model;
}

async function* instrumentedStream(
  state: TelemetryState,
  provider: ProviderAdapter,
  request: ProviderRequest,
  providerContext: ProviderContext,
): AsyncGenerator<ProviderEvent> {
  const call = startChat(state, provider, request, providerContext, true);
  const stream = provider.stream as NonNullable<ProviderAdapter['stream']>;
  let iterator: AsyncIterator<ProviderEvent> | undefined;
  try {
    iterator = context.with(call.context, () =>
      stream.call(provider, request, providerContext)[Symbol.asyncIterator](),
    );
    const active = iterator;
    while (true) {
      const step = await context.with(call.context, () => active.next());
      if (step.done) break;
      observe(state, call, step.value);
      yield step.value;
    }
    endChat(state, call, call.answerError);
  } catch (error) {
    endChat(state, call, error);
    throw error;
  } finally {
    if (!call.ended) {
      // The consumer stopped reading (cancel, a deadline): close the provider's stream too.
      endChat(state, call, providerContext.signal.reason ?? new Error('The stream was closed before it ended.'));
      await iterator?.return?.();
    }
  }
}

/**
 * Wraps a provider so each model call is a `chat {model}` CLIENT span (child of its execution's
 * `invoke_agent` span) and feeds the GenAI client metrics. Everything else about the provider
 * (id, capabilities, secrets, health) is unchanged.
 */
export function instrumentProvider(state: TelemetryState, provider: ProviderAdapter): ProviderAdapter {
  if ((provider as { [INSTRUMENTED]?: true })[INSTRUMENTED]) return provider;
  if (provider.secrets) state.redactor.addSecrets(provider.secrets);
  const wrapped: ProviderAdapter = Object.create(
    Object.getPrototypeOf(provider) as object,
    Object.getOwnPropertyDescriptors(provider),
  );
  Object.defineProperty(wrapped, INSTRUMENTED, { value: true });
  Object.defineProperty(wrapped, 'execute', {
    value: async (request: ProviderRequest, providerContext: ProviderContext): Promise<ProviderResponse> => {
      const call = startChat(state, provider, request, providerContext, false);
      let response: ProviderResponse;
      try {
        response = await context.with(call.context, () => provider.execute(request, providerContext));
      } catch (error) {
        endChat(state, call, error);
        throw error;
      }
      recordResponse(call, response);
      endChat(state, call, response.error);
      return response;
    },
  });
  if (typeof provider.stream === 'function') {
    Object.defineProperty(wrapped, 'stream', {
      value: (request: ProviderRequest, providerContext: ProviderContext) =>
        instrumentedStream(state, provider, request, providerContext),
    });
  }
  return wrapped;
}
