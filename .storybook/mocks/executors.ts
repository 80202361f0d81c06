// In-browser executors for the stories: the real `createExecutor` pipeline with the
// seeded mock provider, so every state is reached the way a user would reach it.
import {
  type AnyAgent,
  createExecutor,
  type Executor,
  type LiveOptions,
  type MockFailureOptions,
  type MockLatency,
  mockProvider,
  type ProviderAdapter,
} from '@agentry/core';
import { storyAgents } from './agents';

/** Options for {@link createStoryExecutor}. */
export interface StoryExecutorOptions {
  /** The agents offered. @default storyAgents */
  agents?: readonly AnyAgent[];
  /** Latency of the mock provider. @default { firstOutputMs: 150, chunkMs: 40 } */
  latency?: MockLatency;
  /** Failures the mock provider injects. @default [] */
  failures?: MockFailureOptions | readonly MockFailureOptions[];
  /** Deadline of a run, in ms, in both modes. @default 20_000 */
  timeoutMs?: number;
  /** @default 0 (a story shows the first failure, not the retries) */
  maxRetries?: number;
  /** Largest input in bytes. @default 64_000 */
  maxInputBytes?: number;
  /** The kill switch. @default { enabled: false, reason: 'Live mode is turned off in Storybook: no model is called.' } */
  live?: LiveOptions;
  /**
   * Adds an `openai` provider that answers like the mock but reports itself as a real
   * provider, so live-mode stories show real-looking metrics (cost, no "Simulated" badge).
   * Nothing leaves the browser. @default false
   */
  simulatedLiveProvider?: boolean;
  /**
   * Holds every mock stream after this many chunks until `gate.release()`: the story's play
   * decides when the run goes on, instead of racing the mock's real latency. @default undefined
   */
  hold?: { afterChunks: number; gate: StoryGate };
}

/** A point in a run that only the story's play can pass: a promise resolved on demand. */
export interface StoryGate {
  /** Lets every run held at the gate go on (and any later run pass straight through). */
  release(): void;
  /** Resolves once `release()` was called. */
  readonly released: Promise<void>;
}

/** A closed {@link StoryGate}. */
export function createStoryGate(): StoryGate {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { release, released };
}

/** Waits for the gate, or rejects with the run's abort reason (cancel, deadline) first. */
function passGate(gate: StoryGate, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    gate.released.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** The mock provider, with its stream held at the gate after `afterChunks` text chunks. */
function heldAtGate(inner: ProviderAdapter, hold: NonNullable<StoryExecutorOptions['hold']>): ProviderAdapter {
  const stream = inner.stream as NonNullable<ProviderAdapter['stream']>;
  return {
    ...inner,
    async *stream(request, context) {
      let chunks = 0;
      for await (const event of stream(request, context)) {
        yield event;
        if (event.type === 'text-delta' && ++chunks === hold.afterChunks) await passGate(hold.gate, context.signal);
      }
    },
  };
}

/** The latency most stories use: fast enough for tests, slow enough to see the stream. */
export const STORY_LATENCY: MockLatency = { firstOutputMs: 150, chunkMs: 40 };

/** An `openai`-named provider that is the seeded mock underneath (nothing leaves the page). */
function simulatedOpenAi(latency: MockLatency): ProviderAdapter {
  const mock = mockProvider({ seed: 7, latency });
  return {
    specificationVersion: 'v1',
    id: 'openai',
    simulated: false,
    execute: (request, context) => mock.execute(request, context),
    stream: (request, context) => (mock.stream as NonNullable<ProviderAdapter['stream']>)(request, context),
  };
}

/** A fresh executor per story render, so call counters (`onCalls`) start at 1 each time. */
export function createStoryExecutor(options: StoryExecutorOptions = {}): Executor {
  const latency = options.latency ?? STORY_LATENCY;
  let executions = 0;
  const mock = mockProvider({ seed: 7, latency, ...(options.failures ? { failures: options.failures } : {}) });
  return createExecutor({
    agents: options.agents ?? storyAgents,
    providers: {
      mock: options.hold ? heldAtGate(mock, options.hold) : mock,
      ...(options.simulatedLiveProvider ? { openai: simulatedOpenAi(latency) } : {}),
    },
    live: options.live ?? { enabled: false, reason: 'Live mode is turned off in Storybook: no model is called.' },
    limits: {
      timeoutMs: { mock: options.timeoutMs ?? 20_000, live: options.timeoutMs ?? 20_000 },
      maxRetries: options.maxRetries ?? 0,
      backoff: { initialMs: 50, factor: 2, maxMs: 200, jitter: 'none' },
      ...(options.maxInputBytes === undefined ? {} : { maxInputBytes: options.maxInputBytes }),
    },
    // Stable ids, so error details and screenshots do not change between runs.
    generateId: () => {
      executions += 1;
      return `exe_story_${String(executions).padStart(4, '0')}`;
    },
  });
}
