import type { InputChecks } from './check-input';

// The JSON Schema validator and the JSON error locator are most of the input-checking code and
// are needed only once an agent's input is checked: the store loads them in a chunk of their own
// (a bundler splits at `import()`) when it is created, so a page shows the panel without waiting.
let loaded: InputChecks | undefined;
let failed = false;
let loading: Promise<InputChecks | undefined> | undefined;

/**
 * Loads the checks once per page. Resolves `undefined` when their chunk cannot be loaded (an
 * offline page, a deploy that removed the file): the store then tells JSON from not-JSON itself
 * and leaves the schema to the service, which validates every input again anyway. A later call
 * tries again.
 */
export function loadInputChecks(): Promise<InputChecks | undefined> {
  loading ??= import('../validation').then(
    (module) => {
      loaded = module;
      failed = false;
      return loaded;
    },
    () => {
      failed = true;
      loading = undefined;
      return undefined;
    },
  );
  return loading;
}

/** The checks when loaded; `null` when loading them failed; `undefined` while they load. */
export function inputChecks(): InputChecks | null | undefined {
  return loaded ?? (failed ? null : undefined);
}
