'use client';

import { useEffect, useState } from 'react';

// Parts of the panel that only some runs need are chunks of their own, loaded on first use and
// when the browser is idle after the panel mounts: the error copy (a failed run), the JSON tree
// (a JSON result's Tree view), the cURL and code snippets (a finished run's copies), the JSON
// view's colours (shown plain until then), the JSON view's window on large text. A bundler
// splits at each `import()`, so none of them is in the initial download (bench/size.mjs). They
// are not exported from the package entry: a static import of them anywhere would pull them back
// into the initial chunk.

/** A module loaded on demand, once per page. */
export interface LazyModule<T> {
  /** The module once loaded; `undefined` before. */
  readonly current: T | undefined;
  /** Starts loading it (once; again after a failure) and resolves with it. */
  load(): Promise<T>;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let current: T | undefined;
  let pending: Promise<T> | undefined;
  return {
    get current() {
      return current;
    },
    load() {
      pending ??= importer().then(
        (module) => {
          current = module;
          return module;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
  };
}

export const errorCopyModule = lazyModule(() => import('./error-copy'));
export const jsonTreeModule = lazyModule(() => import('./json-tree'));
export const snippetsModule = lazyModule(() => import('./snippets'));
export const jsonHighlightModule = lazyModule(() => import('./input/json-highlight'));
export const textWindowModule = lazyModule(() => import('./input/window-controller'));

/**
 * The module, loading it on first use (when `enabled`): `undefined` while it loads, `'failed'`
 * when its chunk could not be loaded (the caller shows something simpler instead).
 */
export function useLazyModule<T>(module: LazyModule<T>, enabled = true): T | 'failed' | undefined {
  const [state, setState] = useState<{ loaded?: T; failed?: boolean }>({});
  const missing = enabled && module.current === undefined;
  useEffect(() => {
    if (!missing) return;
    let live = true;
    module.load().then(
      (loaded) => live && setState({ loaded }),
      () => live && setState({ failed: true }),
    );
    return () => {
      live = false;
    };
  }, [module, missing]);
  return module.current ?? state.loaded ?? (state.failed ? 'failed' : undefined);
}

/** Loads every lazy part once the browser is idle, so that none is awaited when it is first shown. */
export function preloadLazyParts(): () => void {
  const load = () => {
    for (const module of [errorCopyModule, jsonTreeModule, snippetsModule, jsonHighlightModule, textWindowModule])
      module.load().catch(() => undefined);
  };
  const idle = globalThis.requestIdleCallback;
  if (typeof idle === 'function') {
    const handle = idle(load, { timeout: 2000 });
    return () => globalThis.cancelIdleCallback?.(handle);
  }
  const timer = setTimeout(load, 200);
  return () => clearTimeout(timer);
}
