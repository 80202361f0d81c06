// Recording: a provider wrapper that writes each live call to a tape, redacted, with timing.
import { type AgentryError, AgentryError as AgentryErrorClass, toAgentryError } from '../errors';
import { createRedactor, type Redactor } from '../logging';
import type { ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest } from '../providers';
import { redactToolCall } from './redact-json-text';
import { redactStreamedText } from './redact-streamed-text';
import { finishEvent, responseToTapeEvents, toTapeError, toTapeStepEvent } from './tape-events';
import { checkKeyFields, tapeKey, toTapeRequest } from './tape-key';
import { storeOf, type TapeKeyOptions, type TapeSource } from './tape-source';
import type { TapeStore } from './tape-store';
import type { TapeEntry, TapeEvent, TapeKeyField } from './tape-types';

/** Options of {@link recordTapes}. */
export type RecordTapesOptions = TapeKeyOptions;

/** A provider that records its calls: the wrapped provider, plus where its tapes go. */
export type RecordingTapeProvider = ProviderAdapter & {
  /** The store the recordings are written to. */
  readonly tapeStore: TapeStore;
};

const elapsed = (start: number) => Math.round(performance.now() - start);

/** Where a recording goes: a store, and/or a listener (the run capture of "save as tape"). */
export interface Recorder {
  store?: TapeStore;
  onRecorded?: (entry: TapeEntry, address: { tenantId: string; agentId: string }, executionId: string) => void;
  redactor: Redactor;
  keyFields: readonly TapeKeyField[];
  providerId: string;
}

async function save(
  recorder: Recorder,
  request: ProviderRequest,
  context: ProviderContext,
  entry: Pick<TapeEntry, 'call' | 'events' | 'error' | 'durationMs'>,
): Promise<void> {
  const tapeRequest = toTapeRequest(request, recorder.redactor);
  const full: TapeEntry = {
    key: await tapeKey(tapeRequest, recorder.keyFields),
    attempt: request.attempt,
    provider: recorder.providerId,
    call: entry.call,
    recordedAt: new Date().toISOString(),
    durationMs: entry.durationMs,
    request: tapeRequest,
    events: entry.events,
  };
  if (entry.error !== undefined) full.error = entry.error;
  const address = { tenantId: context.tenant.tenantId, agentId: request.agentId };
  recorder.onRecorded?.(full, address, request.executionId);
  if (recorder.store === undefined) return;
  try {
    await recorder.store.write(address, [full]);
  } catch (error) {
    // Loud: a recording run that leaves no tape would make the next replay miss for no visible reason.
    throw new AgentryErrorClass(
      'provider_error',
      `The call was made, but its tape could not be written to ${recorder.store.describe(address)}: ${recorder.redactor.redactString((error as Error)?.message ?? String(error))}`,
      { retryable: false, provider: recorder.providerId, cause: error },
    );
  }
}

/** The error a failed call recorded, unless the caller cancelled it (a cancel is not the provider's answer). */
function recordedError(thrown: unknown, context: ProviderContext, recorder: Recorder, atMs: number) {
  if (context.signal.aborted) return undefined;
  const error: AgentryError = toAgentryError(thrown, 'provider_error');
  if (error.code === 'cancelled') return undefined;
  return { ...toTapeError(error, recorder.redactor), atMs };
}

/** Records one event of a stream (text as received: it is redacted as one text when the stream ends). */
function recordEvent(event: ProviderEvent, atMs: number, events: TapeEvent[], redactor: Redactor): void {
  switch (event.type) {
    case 'text-delta':
      events.push({ atMs, type: 'text-delta', delta: event.delta });
      return;
    case 'usage':
      events.push({ atMs, type: 'usage', usage: { ...event.usage } });
      return;
    case 'tool-call':
      events.push({ atMs, type: 'tool-call', toolCall: redactToolCall(event.toolCall, redactor) });
      return;
    case 'finish': {
      const { type: _type, ...finish } = event;
      events.push(finishEvent(finish, atMs, redactor));
      return;
    }
    case 'service-step':
      // A remote agent service's own tool steps: replayed as they came, so the record keeps them.
      events.push({ atMs, type: 'service-step', event: toTapeStepEvent(event.event, redactor) });
      return;
    default:
      event satisfies never;
  }
}

/**
 * Wraps a provider so that each call it answers is recorded on a tape: the request (normalized
 * and redacted: configured secrets, the provider's `secrets` and every API-key shape, in every
 * string), the answer's events with their time since the call started, and the error when it
 * failed. One tape per agent and tenant; see docs/tapes.md for the file format.
 *
 * The wrapper behaves as the provider does (same id, capabilities, events); it only adds the
 * write, which it awaits before the call returns (a failed write fails the call, loudly).
 * Cancelled calls are not recorded.
 *
 * @example
 * const openai = recordTapes(openaiProvider({ apiKey }), { dir: 'test/tapes' });
 */
export function recordTapes(
  provider: ProviderAdapter,
  source: TapeSource,
  options: RecordTapesOptions = {},
): RecordingTapeProvider {
  if (provider === null || typeof provider !== 'object' || typeof provider.execute !== 'function') {
    throw new TypeError('recordTapes: the first argument must be a provider adapter (with execute()).');
  }
  const store = storeOf(source, 'recordTapes');
  const recorder: Recorder = {
    store,
    redactor: createRedactor([...(provider.secrets ?? []), ...(options.secrets ?? [])]),
    keyFields: checkKeyFields(options.keyFields, 'recordTapes'),
    providerId: provider.id,
  };
  return Object.assign(recordingWrapper(provider, recorder), { tapeStore: store });
}

/** The wrapper itself: the provider's calls, each recorded through `recorder` once it ended. */
export function recordingWrapper(provider: ProviderAdapter, recorder: Recorder): ProviderAdapter {
  const wrapper: ProviderAdapter = {
    specificationVersion: provider.specificationVersion,
    id: provider.id,
    async execute(request, context) {
      const start = performance.now();
      let response: Awaited<ReturnType<ProviderAdapter['execute']>>;
      try {
        response = await provider.execute(request, context);
      } catch (thrown) {
        const error = recordedError(thrown, context, recorder, elapsed(start));
        if (error)
          await save(recorder, request, context, { call: 'execute', events: [], error, durationMs: error.atMs });
        throw thrown;
      }
      const atMs = elapsed(start);
      const events = responseToTapeEvents(response, atMs, recorder.redactor);
      await save(recorder, request, context, { call: 'execute', events, durationMs: atMs });
      return response;
    },
  };
  if (provider.stream) {
    const stream = provider.stream.bind(provider);
    wrapper.stream = async function* recordStream(request, context) {
      const start = performance.now();
      // Held in memory only: the text is redacted before anything is written.
      const events: TapeEvent[] = [];
      try {
        for await (const event of stream(request, context)) {
          recordEvent(event, elapsed(start), events, recorder.redactor);
          yield event;
        }
      } catch (thrown) {
        const error = recordedError(thrown, context, recorder, elapsed(start));
        if (error) {
          const redacted = redactStreamedText(events, recorder.redactor);
          await save(recorder, request, context, { call: 'stream', events: redacted, error, durationMs: error.atMs });
        }
        throw thrown;
      }
      // Reached only when the consumer read to the end (a consumer that stops early records nothing).
      const durationMs = elapsed(start);
      await save(recorder, request, context, {
        call: 'stream',
        events: redactStreamedText(events, recorder.redactor),
        durationMs,
      });
    };
  }
  copyDescription(provider, wrapper);
  return wrapper;
}

/** Copies what describes a provider (capabilities, secrets, configured, checks, health) onto a wrapper. */
export function copyDescription(provider: ProviderAdapter, wrapper: ProviderAdapter): void {
  const target = wrapper as { -readonly [K in keyof ProviderAdapter]: ProviderAdapter[K] };
  if (provider.capabilities !== undefined) target.capabilities = provider.capabilities;
  if (provider.secrets !== undefined) target.secrets = provider.secrets;
  if (provider.configured !== undefined) target.configured = provider.configured;
  if (provider.simulated !== undefined) target.simulated = provider.simulated;
  if (provider.checkAgent) target.checkAgent = provider.checkAgent.bind(provider);
  if (provider.health) target.health = provider.health.bind(provider);
}
