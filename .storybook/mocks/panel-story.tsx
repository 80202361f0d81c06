// What every TestPanel story shares: how the panel is rendered (with the toolbar's
// theme) and where its service comes from (an in-browser executor or the simulated server).
import type { Executor } from '@agentry/core';
import { TestPanel, type TestPanelProps } from '@agentry/react';
import type { Decorator, Meta } from '@storybook/react-vite';
import type { AnyHandler } from 'msw';
import { themeOf } from '../decorators';
import { createStoryExecutor, createStoryGate, type StoryExecutorOptions, type StoryGate } from './executors';
import { agentryServer, serveAgentry } from './server';

/** What a story's loader hands the panel: an executor (no server) or a client (simulated server). */
export type PanelService = Pick<TestPanelProps, 'client' | 'executor'>;

/** A story loader that provides the panel's service as `loaded.service` (and a held run's gate as `loaded.gate`). */
export type PanelLoader = () => Promise<{ service: PanelService; gate?: StoryGate }>;

/** Options of {@link executorMode}. */
export interface ExecutorModeOptions extends Omit<StoryExecutorOptions, 'hold'> {
  /**
   * Holds each run's stream after this many chunks until the play calls `loaded.gate.release()`
   * (see `releaseHeldRun`), so a passing state is on screen for as long as the play needs it.
   */
  holdAfterChunks?: number;
}

/** Runs the panel on an in-browser executor, fresh for every render. */
export function executorMode(options: ExecutorModeOptions = {}): PanelLoader {
  return async () => {
    const { holdAfterChunks, ...executorOptions } = options;
    if (holdAfterChunks === undefined) return { service: { executor: createStoryExecutor(executorOptions) } };
    const gate = createStoryGate();
    const executor = createStoryExecutor({ ...executorOptions, hold: { afterChunks: holdAfterChunks, gate } });
    return { service: { executor }, gate };
  };
}

/**
 * Runs the panel against the simulated server (msw + the real `createHandler`).
 * `overrides` answer some routes differently (first match wins), e.g. a 404 problem.
 */
export function clientMode(
  options: StoryExecutorOptions = {},
  overrides: (executor: Executor) => AnyHandler[] = () => [],
): PanelLoader {
  return async () => {
    const executor = createStoryExecutor(options);
    const client = await serveAgentry(...overrides(executor), ...agentryServer(executor));
    return { service: { client } };
  };
}

/** Renders the panel with the loaded service; the theme follows the toolbar unless the `theme` control is set. */
export const renderPanel: NonNullable<Meta<TestPanelProps>['render']> = (args, context) => {
  const service = (context.loaded.service ?? {}) as PanelService;
  return <TestPanel {...service} {...args} theme={args.theme ?? themeOf(context.globals)} />;
};

/** Keeps the panel at a realistic width on wide screens (hosts rarely give it the full page). */
export const withPanelWidth =
  (maxWidth = '64rem'): Decorator =>
  (Story) => (
    <div style={{ maxWidth, margin: '0 auto' }}>
      <Story />
    </div>
  );

/** Controls every TestPanel story file shares: services are set by loaders, not controls. */
export const panelArgTypes = {
  client: { control: false },
  executor: { control: false },
  tenant: { control: false },
  theme: { control: 'inline-radio', options: [undefined, 'light', 'dark', 'system'] },
  labels: { control: 'object' },
} satisfies NonNullable<Meta<TestPanelProps>['argTypes']>;
