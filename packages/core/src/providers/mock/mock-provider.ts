import type { AgentMock, MockContext, MockDelay, MockFailureKind } from '../../agent';
import { AgentryError, isAgentryError } from '../../errors';
import { delay, raceAbort } from '../../internal/delay';
import { hashString, seededRandom, stableStringify } from '../../internal/seeded-random';
import type { Usage } from '../../metrics';
import { markReadyExecute, ReadyEvents } from '../ready-answer';
import type {
  MockRequestOptions,
  ProviderAdapter,
  ProviderContext,
  ProviderEvent,
  ProviderRequest,
  ProviderResponse,
  ProviderToolCall,
} from '../types';
import { MockCall, type MockLatency } from './mock-call';
import { failureError, type MockFailureOptions } from './mock-failures';
import { type ScriptedStep, scriptedStep } from './mock-script';

export type { MockDelay, MockFailureKind, MockFailureOptions, MockLatency };

/** Options for {@link mockProvider}. */
export interface MockProviderOptions {
  /** Mixed with the agent id and input: same agent, input and seed give the same output and usage. @default 0 */
  seed?: number;
  /** Scripted latency; a number is the delay between chunks. @default 0 */
  latency?: number | MockLatency;
  /** Injected failures. @default [] */
  failures?: MockFailureOptions | readonly MockFailureOptions[];
}

const WORD_CHUNKS = /\s*\S+\s*|\s+/g;

/** A rough token count (about four characters a token), at least 1 for any text. */
function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

function matches(match: unknown, input: unknown): boolean {
  if (match === undefined) return true;
  if (typeof match === 'function') return Boolean((match as (value: unknown) => unknown)(input));
  if (typeof match !== 'object' || match === null || typeof input !== 'object' || input === null)
    return match === input;
  return Object.entries(match).every(
    ([key, expected]) => stableStringify((input as Record<string, unknown>)[key]) === stableStringify(expected),
  );
}

interface MockAnswer {
  text: string;
  object?: unknown;
  /** A scripted step's tool calls. */
  toolCalls?: ProviderToolCall[];
  /** A scripted step's own latency. */
  delayMs?: MockDelay;
  /** A scripted step's own failure (this call's: `failTimes` already applied). */
  fail?: MockFailureKind;
  /** The streamed pieces; split from `text` on first use (an `execute()` without latency never needs them). */
  chunks?: string[];
}

function chunksOf(answer: MockAnswer): string[] {
  answer.chunks ??= answer.text.match(WORD_CHUNKS) ?? [];
  return answer.chunks;
}

/** The prompt's length as one text joined with newlines, without building that text. */
function promptLength(messages: ProviderRequest['messages']): number {
  let length = messages.length > 0 ? messages.length - 1 : 0;
  for (const message of messages) length += message.content.length;
  return length;
}

/** Tokens of the tool calls a scripted step makes (their names and argument text). */
function toolCallsLength(toolCalls: readonly ProviderToolCall[]): number {
  let length = 0;
  for (const call of toolCalls) length += call.name.length + call.argsText.length;
  return estimateTokensOfLength(length);
}

function estimateTokensOfLength(length: number): number {
  return length === 0 ? 0 : Math.max(1, Math.ceil(length / 4));
}

/** The agent's mock behaviour, from `providerOptions.mock` (the executor fills it from the agent's definition). */
function mockOptionsOf(request: ProviderRequest): MockRequestOptions {
  const options = request.providerOptions?.mock as MockRequestOptions | undefined;
  return options ?? { agentName: request.agentId, hasOutputSchema: request.outputSchema !== undefined };
}

/**
 * The mock's answer to one request. `call.context()` builds the mock's context on first use: fixed
 * answers and listed steps never read it, and answer at once (no promise).
 */
function answer(request: ProviderRequest, call: MockCall): MockAnswer | Promise<MockAnswer> {
  const options = mockOptionsOf(request);
  const mock = options.mock as AgentMock<unknown, unknown> | undefined;
  if (mock === undefined) {
    if (options.hasOutputSchema) {
      throw new AgentryError(
        'provider_error',
        `Agent "${request.agentId}" has an output schema but no mock. Add \`mock\` to its definition to run it in mock mode.`,
        { retryable: false, provider: 'mock' },
      );
    }
    return toAnswer(`[mock] ${options.agentName} received ${JSON.stringify(request.input)}`);
  }
  if (typeof mock === 'object' && mock !== null && 'stream' in mock) {
    const chunks = [...mock.stream];
    return { text: chunks.join(''), chunks };
  }
  if (typeof mock === 'object' && mock !== null && 'steps' in mock) {
    const scripted = scriptedStep(mock, request, call);
    return scripted instanceof Promise
      ? scripted.then((resolved) => scriptedAnswer(resolved, request))
      : scriptedAnswer(scripted, request);
  }
  return userMockAnswer(mock, request, call);
}

function scriptedAnswer({ step, toolCalls }: ScriptedStep, request: ProviderRequest): MockAnswer {
  const result: MockAnswer = step.output !== undefined ? toAnswer(step.output) : { text: step.text ?? '' };
  if (toolCalls) result.toolCalls = toolCalls;
  if (step.delayMs !== undefined) result.delayMs = step.delayMs;
  if (step.fail !== undefined && (step.failTimes === undefined || request.attempt <= step.failTimes))
    result.fail = step.fail;
  return result;
}

async function userMockAnswer(
  mock: Exclude<AgentMock<unknown, unknown>, { stream: readonly string[] } | { steps: unknown }>,
  request: ProviderRequest,
  call: MockCall,
): Promise<MockAnswer> {
  try {
    // The agent's own code: the mock function, or a fixture's `match` and the `fallback`.
    return toAnswer(await mockValue(mock, request, call.context()));
  } catch (error) {
    // A mock may throw an AgentryError on purpose (to simulate one); anything else is a bug
    // in the agent's own code, not a provider failure, so it must not read as one (nor be
    // retried). The executor answers it generically; these words go to the server log.
    if (isAgentryError(error)) throw error;
    throw new AgentryError(
      'internal',
      `The mock of agent "${request.agentId}" threw: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, provider: 'mock', retryable: false },
    );
  }
}

async function mockValue(
  mock: Exclude<AgentMock<unknown, unknown>, { stream: readonly string[] } | { steps: unknown }>,
  request: ProviderRequest,
  context: MockContext,
): Promise<unknown> {
  if (typeof mock === 'function') return await mock(request.input, context);
  const fixture = mock.fixtures.find((candidate) => matches(candidate.match, request.input));
  if (fixture) return fixture.output;
  if (mock.fallback) return mock.fallback(request.input, context);
  throw new AgentryError(
    'provider_error',
    `No mock fixture of agent "${request.agentId}" matches this input. Add a fixture or a \`fallback\`.`,
    { retryable: false, provider: 'mock' },
  );
}

function toAnswer(value: unknown): MockAnswer {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  const result: MockAnswer = { text };
  if (typeof value !== 'string') result.object = value;
  return result;
}

/** One call, planned: a failure at the start, or the answer with its usage (and a failure midway). */
type Plan =
  | { failure: MockFailureOptions; call: MockCall; result?: undefined }
  | {
      failure: MockFailureOptions | undefined;
      call: MockCall;
      result: MockAnswer;
      usage: Usage;
      /** The chunk before which a failure midway strikes; -1 without one. */
      failAt: number;
    };

function planned(
  request: ProviderRequest,
  call: MockCall,
  failure: MockFailureOptions | undefined,
  result: MockAnswer,
): Plan {
  if (result.delayMs !== undefined) {
    // A scripted step's latency is the whole call's: before its first output, none between chunks.
    call.firstMs = result.delayMs;
    call.chunkMs = undefined;
  }
  if (result.fail !== undefined) return { failure: { kind: result.fail }, call };
  const usage: Usage = {
    inputTokens: estimateTokensOfLength(promptLength(request.messages)) + 4 * request.messages.length,
    outputTokens: estimateTokens(result.text) + (result.toolCalls ? toolCallsLength(result.toolCalls) : 0),
  };
  return { failure, call, result, usage, failAt: failure ? Math.floor(chunksOf(result).length / 2) : -1 };
}

/**
 * The mock provider: deterministic from a seed, with scripted latency, token-by-token
 * streaming, failure injection and plausible usage figures. Mock mode runs the same
 * pipeline as live mode; only this adapter differs.
 */
export function mockProvider(options: MockProviderOptions = {}): ProviderAdapter {
  const seed = options.seed ?? 0;
  const latency: MockLatency =
    typeof options.latency === 'number' ? { chunkMs: options.latency } : (options.latency ?? {});
  const failures =
    options.failures === undefined ? [] : Array.isArray(options.failures) ? options.failures : [options.failures];
  for (const failure of failures as MockFailureOptions[]) {
    if (failure.rate !== undefined && (failure.rate < 0 || failure.rate > 1)) {
      throw new TypeError(`mockProvider: failures.rate must be between 0 and 1, got ${failure.rate}.`);
    }
  }
  const hasLatency = latency.firstOutputMs !== undefined || latency.chunkMs !== undefined;
  const failureRandom = seededRandom(hashString(`failures:${seed}`));
  let calls = 0;

  function pickFailure(): MockFailureOptions | undefined {
    calls += 1;
    for (const failure of failures as MockFailureOptions[]) {
      if (failure.onCalls?.includes(calls)) return failure;
      if (failure.rate !== undefined && failure.rate > 0 && failureRandom() < failure.rate) return failure;
    }
    return undefined;
  }

  /**
   * Everything about one call that the seed decides: the answer, its chunks, latency and usage.
   * Synchronous (no promise) when the answer is: fixed answers and listed steps.
   */
  function plan(request: ProviderRequest, context: ProviderContext): Plan | Promise<Plan> {
    const failure = failures.length > 0 ? pickFailure() : undefined;
    const call = new MockCall(seed, request, context.tenant, latency);
    if (failure && (failure.at ?? 'start') === 'start') return { failure, call };
    const answered = answer(request, call);
    return answered instanceof Promise
      ? answered.then((result) => planned(request, call, failure, result))
      : planned(request, call, failure, answered);
  }

  async function fail(failure: MockFailureOptions, signal: AbortSignal): Promise<never> {
    // A simulated timeout hangs until the executor's deadline aborts the call.
    if (failure.kind === 'timeout') await raceAbort(new Promise<never>(() => {}), signal);
    throw failureError(failure);
  }

  /**
   * Whether a call's answer is known as soon as it is made: no latency or failures to simulate,
   * and the agent's mock is data (chunks, a list of steps), not code whose call could be moved.
   */
  function answersAtOnce(request: ProviderRequest): boolean {
    if (hasLatency || failures.length > 0) return false;
    const mock = mockOptionsOf(request).mock;
    return (
      typeof mock === 'object' &&
      mock !== null &&
      ('stream' in mock || ('steps' in mock && Array.isArray((mock as { steps: unknown }).steps)))
    );
  }

  function stream(request: ProviderRequest, context: ProviderContext): AsyncIterable<ProviderEvent> {
    if (!answersAtOnce(request)) return streamPlanned(request, context, undefined);
    let pending: Plan | Promise<Plan>;
    try {
      pending = plan(request, context);
    } catch (error) {
      // As from the generator: the error comes with the first event, not from this call.
      return failedStream(error);
    }
    // A step of tool calls only waits (reading the signal) before them: the generator does that.
    if (
      pending instanceof Promise ||
      !pending.result ||
      pending.failure ||
      pending.result.delayMs !== undefined ||
      (pending.result.toolCalls !== undefined && chunksOf(pending.result).length === 0)
    )
      return streamPlanned(request, context, pending);
    return new ReadyEvents(readyEvents(pending, request));
  }

  async function* streamPlanned(
    request: ProviderRequest,
    context: ProviderContext,
    given: Plan | Promise<Plan> | undefined,
  ): AsyncGenerator<ProviderEvent> {
    const pending = given ?? plan(request, context);
    const planned = pending instanceof Promise ? await pending : pending;
    const { call } = planned;
    if (!planned.result) {
      await delay(call.firstDelay(), context.signal);
      return await fail(planned.failure, context.signal);
    }
    const { result, failAt, failure } = planned;
    const chunks = chunksOf(result);
    for (let index = 0; index < chunks.length; index += 1) {
      if (index === failAt && failure) await fail(failure, context.signal);
      const wait = index === 0 ? call.firstDelay() : call.chunkDelay();
      if (wait > 0) await delay(wait, context.signal);
      yield { type: 'text-delta', delta: chunks[index] as string };
    }
    if (result.toolCalls) {
      if (chunks.length === 0) await delay(call.firstDelay(), context.signal);
      for (const toolCall of result.toolCalls) yield { type: 'tool-call', toolCall };
    }
    yield { type: 'usage', usage: planned.usage };
    yield finishEvent(result, request);
  }

  /**
   * `execute()` without its own promise: the response itself when the plan is known at once and
   * nothing is to be waited for (the executor calls this instead of `execute`, see ready-answer.ts).
   */
  function answerNow(request: ProviderRequest, context: ProviderContext): ProviderResponse | Promise<ProviderResponse> {
    const pending = plan(request, context);
    return pending instanceof Promise
      ? pending.then((planned) => respond(planned, request, context))
      : respond(pending, request, context);
  }

  async function execute(request: ProviderRequest, context: ProviderContext): Promise<ProviderResponse> {
    return answerNow(request, context);
  }

  function respond(
    planned: Plan,
    request: ProviderRequest,
    context: ProviderContext,
  ): ProviderResponse | Promise<ProviderResponse> {
    if (!planned.result) return failLater(planned.failure, planned.call, context);
    if (hasLatency || planned.failure || planned.result.delayMs !== undefined)
      return waitThenRespond(planned, request, context);
    return responseOf(planned.result, planned.usage, request);
  }

  async function failLater(failure: MockFailureOptions, call: MockCall, context: ProviderContext): Promise<never> {
    await delay(call.firstDelay(), context.signal);
    return await fail(failure, context.signal);
  }

  async function waitThenRespond(
    planned: Extract<Plan, { result: MockAnswer }>,
    request: ProviderRequest,
    context: ProviderContext,
  ): Promise<ProviderResponse> {
    // The same total latency as the stream, in one wait.
    const { call, result, failAt, failure } = planned;
    let wait = 0;
    const chunks = failure ? failAt : Math.max(chunksOf(result).length, result.toolCalls ? 1 : 0);
    for (let index = 0; index < chunks; index += 1) wait += index === 0 ? call.firstDelay() : call.chunkDelay();
    await delay(wait, context.signal);
    if (failure) await fail(failure, context.signal);
    return responseOf(result, planned.usage, request);
  }

  function responseOf(result: MockAnswer, usage: Usage, request: ProviderRequest): ProviderResponse {
    const response: ProviderResponse = {
      text: result.text,
      usage,
      finishReason: result.toolCalls ? 'tool_calls' : 'stop',
      model: request.model,
    };
    if (result.object !== undefined) response.object = result.object;
    if (result.toolCalls) response.toolCalls = result.toolCalls;
    return response;
  }

  const adapter: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'mock',
    simulated: true,
    capabilities: { tools: true },
    stream,
    execute,
    async health() {
      return { status: 'ok', configured: true, latencyMs: 0 };
    },
  };
  return markReadyExecute(adapter, execute, answerNow);
}

/** A stream whose first `next()` rejects with `error`, then is done: a generator that threw at its start. */
function failedStream(error: unknown): AsyncIterable<ProviderEvent> {
  let ended = false;
  const done = (): Promise<IteratorResult<ProviderEvent>> => {
    ended = true;
    return Promise.resolve({ done: true, value: undefined });
  };
  const iterator: AsyncIterableIterator<ProviderEvent> = {
    next: () => {
      if (ended) return done();
      ended = true;
      return Promise.reject(error);
    },
    return: done,
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

function finishEvent(result: MockAnswer, request: ProviderRequest): ProviderEvent {
  const finish: ProviderEvent = {
    type: 'finish',
    finishReason: result.toolCalls ? 'tool_calls' : 'stop',
    model: request.model,
  };
  if (result.object !== undefined) finish.object = result.object;
  return finish;
}

/** The events of an answer known at once (what the stream generator yields, without its waits). */
function readyEvents(planned: Extract<Plan, { result: MockAnswer }>, request: ProviderRequest): ProviderEvent[] {
  const { result } = planned;
  const events: ProviderEvent[] = [];
  for (const delta of chunksOf(result)) events.push({ type: 'text-delta', delta });
  if (result.toolCalls) for (const toolCall of result.toolCalls) events.push({ type: 'tool-call', toolCall });
  events.push({ type: 'usage', usage: planned.usage });
  events.push(finishEvent(result, request));
  return events;
}
