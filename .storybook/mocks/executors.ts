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
  return createExecutor({
    agents: options.agents ?? storyAgents,
    providers: {
      mock: mockProvider({ seed: 7, latency, ...(options.failures ? { failures: options.failures } : {}) }),
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
