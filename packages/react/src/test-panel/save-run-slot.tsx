'use client';

import { lazy, Suspense } from 'react';
import type { SaveRunProps } from './save-run';

// Loaded only for users the host allows to save runs: the panel's initial bundle stays as it was.
const SaveRun = lazy(() => import('./save-run').then((module) => ({ default: module.SaveRun })));

/** Where "Save as tape / mock" goes in the response pane: nothing unless the host allows this user. */
export function SaveRunSlot(props: SaveRunProps) {
  if (!props.allowed) return null;
  return (
    <Suspense fallback={null}>
      <SaveRun {...props} />
    </Suspense>
  );
}
