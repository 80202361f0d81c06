// Replay: a provider that answers from tapes, by the canonical key of each request.
import { AgentryError } from '../errors';
import { delay } from '../internal/delay';
import { createRedactor, type Redactor } from '../logging';
import type { ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest, ProviderResponse } from '../providers';
import { markReadyExecute, ReadyEvents } from '../providers/ready-answer';
import { copyDescription, recordTapes } from './record-tapes';
import { recordedToolResults } from './replay-tools';
import { RequestKeyMemo } from './request-key-memo';
import { formatDifferences, nearestEntry } from './tape-diff';
import { fromTapeError, tapeEventsToResponse, toProviderEvent } from './tape-events';
import { checkKeyFields, digestKeyText, keyText, toTapeRequest } from './tape-key';
import { storeOf, type TapeKeyOptions, type TapeSource } from './tape-source';
import type { TapeAddress, TapeStore } from './tape-store';
import type { TapeEntry, TapeRequest } from './tape-types';

/**
 * What a replaying provider does with a request no recording answers:
 * - `error`: fails the call with the differences to the nearest recording (the default).
 * - `nearest`: answers with the nearest recording of the same agent and tenant, and logs a warning with the differences.
 * - `live`: calls `live` (not recorded).
 * - `record`: calls `live` and records the answer (what `AGENTRY_TAPES=auto` does).
 */
export type TapeMissPolicy = 'error' | 'nearest' | 'live' | 'record';

/** Options of {@link tapeProvider}. */
export interface TapeProviderOptions extends TapeKeyOptions {
  /**
   * What to do when no recording matches. Never falls back to a live call unless asked.
   * @default 'error'
   */
  onMiss?: TapeMissPolicy;
  /**
   * The live provider the tapes were recorded from. Called only on a miss with `onMiss: 'live'`
   * or `'record'`; otherwise it only lends its id, capabilities and agent checks, so the tape
   * provider stands in for it exactly.
   */
  live?: ProviderAdapter;
  /**
   * Replay speed: `1` waits the recorded time between events, `2` half of it, `0` not at all
   * (the fastest, for unit tests).
   * @default 1
   */
  speed?: number;
  /** The provider id (what `metrics.provider` shows). @default live?.id ?? 'tape' */
  id?: string;
  /**
   * The agent's tools on replay: `'recorded'` serves the results they gave when the run was
   * recorded (the tools are not called: no side effects, no network); `'live'` calls them.
   * A step whose model call was not answered from the tape (a miss sent live) runs its tools.
   * @default 'recorded'
   */
  replayTools?: 'recorded' | 'live';
}

/** A provider that replays tapes. `usageSource: 'recorded'` says its usage figures come from a tape. */
export type TapeProvider = ProviderAdapter & {
  /** Where usage and cost come from: the tape, as recorded from the live provider. */
  readonly usageSource: 'recorded';
  /** The store the tapes are read from. */
  readonly tapeStore: TapeStore;
};

interface LoadedTape {
  entries: readonly TapeEntry[];
  /**
   * Entries by their key under the replayer's key fields, attempts ascending: keyed by the
   * canonical text of those fields (the text the stored `sha256:` key is the digest of).
   */
  byKey: Map<string, TapeEntry[]>;
}

const MISS_POLICIES: readonly TapeMissPolicy[] = ['error', 'nearest', 'live', 'record'];
/** Runs whose answers are tracked at once (answered from the tape or not), oldest forgotten first. */
const TRACKED_RUNS = 10_000;

/** The recorded attempt of this number, else the last one before it (a retry the recording did not need). */
function takeOf(takes: readonly TapeEntry[], attempt: number): TapeEntry {
  let entry = takes[0] as TapeEntry;
  for (const take of takes) if (take.attempt <= attempt) entry = take;
  return entry;
}

/**
 * A provider that answers from recorded tapes (see {@link recordTapes}). Each request is
 * normalized and redacted as when it was recorded, and its key (SHA-256 over the canonical JSON of
 * the key fields) picks the recording; a retried call gets the recorded attempt of that number.
 * A miss fails loudly by default, naming the tape and showing how the request differs from the
 * nearest recording. Streams replay with the recorded timing, scaled by `speed`.
 *
 * @example
 * const openai = tapeProvider({ dir: 'test/tapes' }, { live: openaiProvider({ apiKey }), speed: 0 });
 */
export function tapeProvider(source: TapeSource, options: TapeProviderOptions = {}): TapeProvider {
  const store = storeOf(source, 'tapeProvider');
  const { live, onMiss = 'error', speed = 1 } = options;
  if (!MISS_POLICIES.includes(onMiss)) {
    throw new TypeError(
      `tapeProvider: onMiss must be one of ${MISS_POLICIES.join(', ')}, got ${JSON.stringify(onMiss)}.`,
    );
  }
  if ((onMiss === 'live' || onMiss === 'record') && !live) {
    throw new TypeError(`tapeProvider: onMiss: '${onMiss}' needs the live provider: pass { live }.`);
  }
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < 0) {
    throw new TypeError(
      `tapeProvider: speed must be a number >= 0 (1 = as recorded, 0 = no waiting), got ${String(speed)}.`,
    );
  }
  const { replayTools = 'recorded' } = options;
  if (replayTools !== 'recorded' && replayTools !== 'live') {
    throw new TypeError(`tapeProvider: replayTools must be 'recorded' or 'live', got ${JSON.stringify(replayTools)}.`);
  }
  const keyFields = checkKeyFields(options.keyFields, 'tapeProvider');
  // Per run: whether its last model call was answered from the tape, and whether any call went live.
  const lastFromTape = new Map<string, boolean>();
  const wentLive = new Set<string>();
  const track = (executionId: string, fromTape: boolean) => {
    lastFromTape.delete(executionId);
    lastFromTape.set(executionId, fromTape);
    if (!fromTape) wentLive.add(executionId);
    if (lastFromTape.size > TRACKED_RUNS) {
      const oldest = lastFromTape.keys().next().value as string;
      lastFromTape.delete(oldest);
      wentLive.delete(oldest);
    }
  };
  const id = options.id ?? live?.id ?? 'tape';
  const redactor: Redactor = createRedactor([...(live?.secrets ?? []), ...(options.secrets ?? [])]);
  // Requests met before answer their key text from memory (this redactor never learns more secrets).
  const keys = new RequestKeyMemo(redactor, keyFields);
  const recorder =
    onMiss === 'record' && live
      ? recordTapes(live, { store }, { keyFields, ...(options.secrets ? { secrets: options.secrets } : {}) })
      : undefined;
  const tapes = new Map<string, Promise<LoadedTape>>();
  /** The tapes of `tapes` that have finished loading: read at once by the replay's fast path. */
  const loaded = new Map<string, LoadedTape>();
  // One text per (tenant, agent), unambiguous: the tenant's length says where the agent starts.
  const idOf = (tenantId: string, agentId: string) => `${tenantId.length}:${tenantId}${agentId}`;
  const addressId = (address: TapeAddress) => idOf(address.tenantId, address.agentId);
  const forget = (address: TapeAddress) => {
    const key = addressId(address);
    tapes.delete(key);
    loaded.delete(key);
  };

  function load(address: TapeAddress): Promise<LoadedTape> {
    const key = addressId(address);
    let tape = tapes.get(key);
    if (tape === undefined) {
      const loading = index(address);
      tape = loading;
      loading.then(
        (done) => {
          // Not if it was forgotten (re-recorded) while it loaded.
          if (tapes.get(key) === loading) loaded.set(key, done);
        },
        () => undefined,
      );
      // A failed read (a corrupt file) is not cached: the next call reads the fixed file.
      tape.catch(() => {
        if (tapes.get(key) === loading) tapes.delete(key);
      });
      tapes.set(key, tape);
    }
    return tape;
  }

  async function index(address: TapeAddress): Promise<LoadedTape> {
    const entries = await store.read(address);
    const byKey = new Map<string, TapeEntry[]>();
    for (const entry of entries) {
      // Keys are recomputed under this replayer's key fields (a hand-edited request counts as edited).
      // Indexed by the key text itself: equal texts are equal digests, and a replayed call is
      // then looked up with no hashing (the digest is computed for a miss's message only).
      const key = keyText(entry.request, keyFields);
      const takes = byKey.get(key);
      if (takes) takes.push(entry);
      else byKey.set(key, [entry]);
    }
    for (const takes of byKey.values()) takes.sort((a, b) => a.attempt - b.attempt);
    return { entries, byKey };
  }

  type Lookup = { entry: TapeEntry } | { miss: AgentryError; nearest?: TapeEntry; tapeRequest: TapeRequest };

  // The key text is computed from the request in one pass (no redacted copy: that is made on a
  // miss only) and looked up as it is (no digest: that too is for a miss's message only).
  async function lookup(request: ProviderRequest, context: ProviderContext): Promise<Lookup> {
    const address = { tenantId: context.tenant.tenantId, agentId: request.agentId };
    const text = keys.keyText(request);
    const tape = await load(address);
    const takes = tape.byKey.get(text);
    if (takes !== undefined) return { entry: takeOf(takes, request.attempt) };
    const tapeRequest = toTapeRequest(request, redactor);
    const key = await digestKeyText(text);
    const nearest = nearestEntry(tape.entries, tapeRequest, keyFields);
    const where = store.describe(address);
    let message = `No recording on tape ${where} matches this request of agent "${request.agentId}" (key ${key.slice(0, 19)}…, tenant "${address.tenantId}").`;
    if (nearest === undefined) {
      message += ' The tape has no recordings for this agent and tenant.';
    } else {
      const count = nearest.differences.length;
      message += `\nThe nearest recording (entry ${nearest.index + 1} of ${tape.entries.length}, recorded ${nearest.entry.recordedAt}) differs in ${count === 200 ? '200 or more values' : `${count} value${count === 1 ? '' : 's'}`}:\n${formatDifferences(nearest.differences)}`;
    }
    message +=
      '\nRecord it (AGENTRY_TAPES=record, or auto to record only what is missing), or change the request back. Tapes are never replaced by a live call unless onMiss says so.';
    const miss = new AgentryError('provider_error', redactor.redactString(message), {
      retryable: false,
      provider: id,
      userMessage: 'This request has no recorded answer (tape). Record it, or run in mock mode.',
    });
    return nearest === undefined ? { miss, tapeRequest } : { miss, nearest: nearest.entry, tapeRequest };
  }

  /**
   * A hit on a tape already loaded, found with no promise (the fast path at speed 0), else
   * `undefined`: a miss, or a tape not loaded yet, takes the async path, which decides.
   */
  function hitNow(request: ProviderRequest, context: ProviderContext): TapeEntry | undefined {
    if (speed !== 0) return undefined;
    const tape = loaded.get(idOf(context.tenant.tenantId, request.agentId));
    const takes = tape?.byKey.get(keys.keyText(request));
    return takes === undefined ? undefined : takeOf(takes, request.attempt);
  }

  // The context's signal is read only where the replay waits: at `speed: 0` nothing waits, and
  // the caller's abort stops the run (the executor races each call against it and checks it
  // between stream events), so no AbortSignal is made for the call (it was ~6 % of a replay).
  async function* replay(
    entry: TapeEntry,
    context: ProviderContext,
    executionId: string,
  ): AsyncIterable<ProviderEvent> {
    let last = 0;
    for (const event of entry.events) {
      if (speed > 0 && event.atMs > last) await delay((event.atMs - last) / speed, context.signal);
      last = Math.max(last, event.atMs);
      yield toProviderEvent(event, executionId);
    }
    if (entry.error !== undefined) {
      if (speed > 0 && entry.error.atMs > last) await delay((entry.error.atMs - last) / speed, context.signal);
      throw fromTapeError(entry.error);
    }
  }

  async function answer(entry: TapeEntry, context: ProviderContext): Promise<ProviderResponse> {
    const end = Math.max(entry.durationMs, entry.error?.atMs ?? 0, entry.events.at(-1)?.atMs ?? 0);
    if (speed > 0 && end > 0) await delay(end / speed, context.signal);
    if (entry.error !== undefined) throw fromTapeError(entry.error);
    return tapeEventsToResponse(entry.events);
  }

  /** The entry to replay, or the live provider to call, after a miss. */
  function onMissed(
    found: Exclude<Lookup, { entry: TapeEntry }>,
    context: ProviderContext,
  ): TapeEntry | ProviderAdapter {
    switch (onMiss) {
      case 'error':
        throw found.miss;
      case 'nearest':
        if (found.nearest === undefined) throw found.miss;
        context.logger.warn('agentry.tape.nearest', { provider: id, message: found.miss.message });
        return found.nearest;
      case 'live':
        return live as ProviderAdapter;
      case 'record':
        return recorder as ProviderAdapter;
      default:
        return onMiss satisfies never;
    }
  }

  async function* streamFound(request: ProviderRequest, context: ProviderContext): AsyncIterable<ProviderEvent> {
    const found = await lookup(request, context);
    const target = 'entry' in found ? found.entry : onMissed(found, context);
    track(request.executionId, 'events' in target);
    if ('events' in target) {
      yield* replay(target, context, request.executionId);
      return;
    }
    if (target.stream) yield* target.stream(request, context);
    else {
      const response = await target.execute(request, context);
      for (const step of response.steps ?? []) {
        yield { type: 'service-step', event: { type: 'step-finish', executionId: request.executionId, step } };
      }
      if (response.text !== '') yield { type: 'text-delta', delta: response.text };
      for (const toolCall of response.toolCalls ?? []) yield { type: 'tool-call', toolCall };
      if (response.usage !== null) yield { type: 'usage', usage: response.usage };
      const { text: _text, usage: _usage, toolCalls: _calls, steps: _steps, ...finish } = response;
      yield { type: 'finish', ...finish };
    }
    if (target === recorder) forget({ tenantId: context.tenant.tenantId, agentId: request.agentId });
  }

  const provider: TapeProvider = {
    specificationVersion: 'v1',
    id,
    usageSource: 'recorded',
    tapeStore: store,
    async execute(request, context) {
      const found = await lookup(request, context);
      const target = 'entry' in found ? found.entry : onMissed(found, context);
      track(request.executionId, 'events' in target);
      if ('events' in target) return answer(target, context);
      const response = await target.execute(request, context);
      if (target === recorder) forget({ tenantId: context.tenant.tenantId, agentId: request.agentId });
      return response;
    },
    stream(request, context) {
      // A hit at speed 0 without a recorded error: every event is known at once.
      const entry = hitNow(request, context);
      if (entry === undefined || entry.error !== undefined) return streamFound(request, context);
      track(request.executionId, true);
      const events: ProviderEvent[] = [];
      for (const event of entry.events) events.push(toProviderEvent(event, request.executionId));
      return new ReadyEvents(events);
    },
    async health() {
      return { status: 'ok', configured: true };
    },
    usageSourceOf(executionId) {
      const source = lastFromTape.has(executionId) && !wentLive.has(executionId) ? 'recorded' : 'reported';
      lastFromTape.delete(executionId);
      wentLive.delete(executionId);
      return source;
    },
  };
  // The executor takes a hit at speed 0 from here, with no promise, while `execute` is this one.
  markReadyExecute(provider, provider.execute, (request, context) => {
    const entry = hitNow(request, context);
    if (entry === undefined) return provider.execute(request, context);
    track(request.executionId, true);
    if (entry.error !== undefined) throw fromTapeError(entry.error);
    return tapeEventsToResponse(entry.events);
  });
  if (replayTools === 'recorded') {
    provider.recordedToolResults = async (step, context) => {
      // The answer that asked for these calls was live (a miss): its tools run live too.
      if (lastFromTape.get(step.executionId) !== true) return undefined;
      const address = { tenantId: context.tenant.tenantId, agentId: step.agentId };
      let entries: readonly TapeEntry[] = [];
      try {
        entries = (await load(address)).entries;
      } catch {
        // Read moments ago for the answer itself; if it fails now, every call reports it has no result.
      }
      return recordedToolResults(entries, step, redactor, store.describe(address));
    };
  }
  if (live) {
    copyDescription(live, provider);
    // Replaying needs no key: a tape provider is usable in CI whether or not the live one is configured.
    (provider as { configured?: boolean }).configured = true;
    provider.health = async () => ({ status: 'ok', configured: true });
  } else {
    (provider as { capabilities?: ProviderAdapter['capabilities'] }).capabilities = { tools: true };
  }
  return provider;
}
