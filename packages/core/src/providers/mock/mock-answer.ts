// What the mock answers: the agent's mock (a function, fixed data or a script of steps) turned
// into one call's plan (answer, usage, a failure to inject) and, when it is known at once, its events.
const WORD_CHUNKS = /\s*\S+\s*|\s+/g;

import type { AgentMock, MockContext, MockDelay, MockFailureKind } from '../../agent';
import { AgentryError, isAgentryError } from '../../errors';
import { stableStringify } from '../../internal/seeded-random';
import type { Usage } from '../../metrics';
import type { MockRequestOptions, ProviderEvent, ProviderRequest, ProviderToolCall } from '../types';
import type { MockCall } from './mock-call';
import type { MockFailureOptions } from './mock-failures';
import { type ScriptedStep, scriptedStep } from './mock-script';

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

export interface MockAnswer {
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

export function chunksOf(answer: MockAnswer): string[] {
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
export function mockOptionsOf(request: ProviderRequest): MockRequestOptions {
  const options = request.providerOptions?.mock as MockRequestOptions | undefined;
  return options ?? { agentName: request.agentId, hasOutputSchema: request.outputSchema !== undefined };
}

/**
 * The mock's answer to one request. `call.context()` builds the mock's context on first use: fixed
 * answers and listed steps never read it, and answer at once (no promise).
 */
export function answer(request: ProviderRequest, call: MockCall): MockAnswer | Promise<MockAnswer> {
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
  if (typeof mock === 'object' && mock !== null && 'stream' in mock) return streamAnswer(mock.stream);
  if (typeof mock === 'object' && mock !== null && 'steps' in mock) {
    const scripted = scriptedStep(mock, request, call);
    return scripted instanceof Promise
      ? scripted.then((resolved) => scriptedAnswer(resolved, request))
      : scriptedAnswer(scripted, request);
  }
  return userMockAnswer(mock, request, call);
}

// A `{ stream }` mock's answer, made once per list of chunks and shared by its calls (frozen:
// nothing downstream may change it). Checked against the list on every call, so a list changed
// in place since (an agent edited at run time) gets a new answer.
const streamAnswers = new WeakMap<readonly string[], Readonly<MockAnswer> & { chunks: string[] }>();

function streamAnswer(stream: readonly string[]): MockAnswer {
  const kept = streamAnswers.get(stream);
  if (kept !== undefined && sameChunks(kept.chunks, stream)) return kept;
  const chunks = Object.freeze([...stream]) as string[];
  const made = Object.freeze({ text: chunks.join(''), chunks });
  streamAnswers.set(stream, made);
  return made;
}

function sameChunks(kept: readonly string[], stream: readonly string[]): boolean {
  if (kept.length !== stream.length) return false;
  for (let index = 0; index < kept.length; index += 1) if (kept[index] !== stream[index]) return false;
  return true;
}

function scriptedAnswer({ step, toolCalls }: ScriptedStep, request: ProviderRequest): MockAnswer {
  const result: MockAnswer = step.output !== undefined ? toAnswer(step.output) : { text: step.text ?? '' };
  if (toolCalls) result.toolCalls = toolCalls;
  if (step.delayMs !== undefined) result.delayMs = step.delayMs;
  if (step.fail !== undefined && (step.failTimes === undefined || request.attempt <= step.failTimes))
    result.fail = step.fail;
  return result;
}

/**
 * The agent's own code: the mock function, or a fixture's `match` and the `fallback`. Answers at
 * once when that code does (no promise); a promise it returns is awaited.
 */
function userMockAnswer(
  mock: Exclude<AgentMock<unknown, unknown>, { stream: readonly string[] } | { steps: unknown }>,
  request: ProviderRequest,
  call: MockCall,
): MockAnswer | Promise<MockAnswer> {
  let value: unknown;
  try {
    value = mockValue(mock, request, call.context());
  } catch (error) {
    throw mockFailure(error, request);
  }
  if (!isThenable(value)) return toAnswer(value);
  return Promise.resolve(value).then(toAnswer, (error: unknown) => {
    throw mockFailure(error, request);
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * A mock may throw an AgentryError on purpose (to simulate one); anything else is a bug in the
 * agent's own code, not a provider failure, so it must not read as one (nor be retried). The
 * executor answers it generically; these words go to the server log.
 */
function mockFailure(error: unknown, request: ProviderRequest): AgentryError {
  if (isAgentryError(error)) return error;
  return new AgentryError(
    'internal',
    `The mock of agent "${request.agentId}" threw: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, provider: 'mock', retryable: false },
  );
}

/** What the agent's mock code gives: a value, or a promise of one. */
function mockValue(
  mock: Exclude<AgentMock<unknown, unknown>, { stream: readonly string[] } | { steps: unknown }>,
  request: ProviderRequest,
  context: MockContext,
): unknown {
  if (typeof mock === 'function') return mock(request.input, context);
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
export type Plan =
  | { failure: MockFailureOptions; call: MockCall; result?: undefined }
  | {
      failure: MockFailureOptions | undefined;
      call: MockCall;
      result: MockAnswer;
      usage: Usage;
      /** The chunk before which a failure midway strikes; -1 without one. */
      failAt: number;
    };

export function planned(
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

export function finishEvent(result: MockAnswer, request: ProviderRequest): ProviderEvent {
  const finish: ProviderEvent = {
    type: 'finish',
    finishReason: result.toolCalls ? 'tool_calls' : 'stop',
    model: request.model,
  };
  if (result.object !== undefined) finish.object = result.object;
  return finish;
}

/** The events of an answer known at once (what the stream generator yields, without its waits). */
export function readyEvents(planned: Extract<Plan, { result: MockAnswer }>, request: ProviderRequest): ProviderEvent[] {
  const { result } = planned;
  const events: ProviderEvent[] = [];
  for (const delta of chunksOf(result)) events.push({ type: 'text-delta', delta });
  if (result.toolCalls) for (const toolCall of result.toolCalls) events.push({ type: 'tool-call', toolCall });
  events.push({ type: 'usage', usage: planned.usage });
  events.push(finishEvent(result, request));
  return events;
}
