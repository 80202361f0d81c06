'use client';

import type { RunEntry } from '@agentry/core/client';
import { lazy, Suspense } from 'react';
import type { RunToolStepsProps } from './tool-steps';

// The timeline (and the fold that reads steps from events) is its own chunk, loaded when a run
// with steps first appears: a panel whose agents use no tools never downloads it.
const RunToolSteps = lazy(() => import('./tool-steps').then((module) => ({ default: module.RunToolSteps })));

/** Whether a run has steps to show: a step event streamed, or its record has steps. */
const hasSteps = (run: Pick<RunEntry, 'events' | 'result'>) =>
  !!run.result?.steps?.length || run.events.some((event) => event.type === 'step-start');

/** The tool steps timeline of a run, loaded on first use; nothing for a run without steps. */
export function LazyToolSteps({
  run,
  ...props
}: Omit<RunToolStepsProps, 'run'> & { run: RunToolStepsProps['run'] | undefined }) {
  if (!run || !hasSteps(run)) return null;
  return (
    <Suspense fallback={null}>
      <RunToolSteps run={run} {...props} />
    </Suspense>
  );
}
