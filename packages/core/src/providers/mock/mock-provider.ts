import type { MockDelay, MockFailureKind } from '../../agent';
import { delay, raceAbort } from '../../internal/delay';
import { hashString, seededRandom } from '../../internal/seeded-random';
import type { Usage } from '../../metrics';
import { markReadyExecute, ReadyEvents } from '../ready-answer';
import type { ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest, ProviderResponse } from '../types';
import {
  answer,
  chunksOf,
  finishEvent,
  type MockAnswer,
  mockOptionsOf,
  type Plan,
  planned,
  readyEvents,
} from './mock-answer';
import { MockCall, type MockLatency } from './mock-call';
import { failureError, type MockFailureOptions } from './mock-failures';

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
    return new ReadyEvents(readyEvents(pending, request), pending.result.text);
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
