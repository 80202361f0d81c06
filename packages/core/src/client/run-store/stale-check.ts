import type { ExecutionResult } from '../../protocol';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * A check of history entries against the editor's current input (its text), parsed once: an
 * entry is stale when its run was made with other input. Key order and whitespace do not count;
 * text that is not JSON is stale unless the run's input was that same string.
 */
export function createStaleCheck(editorText: string): (entry: Pick<ExecutionResult, 'input'>) => boolean {
  let current: string | undefined;
  try {
    current = JSON.stringify(canonical(JSON.parse(editorText)));
  } catch {
    return (entry) => entry.input !== editorText;
  }
  return (entry) => JSON.stringify(canonical(entry.input)) !== current;
}

/** Whether one history entry is stale (see {@link createStaleCheck}, which parses the text once for many entries). */
export function isHistoryEntryStale(entry: Pick<ExecutionResult, 'input'>, editorText: string): boolean {
  return createStaleCheck(editorText)(entry);
}
