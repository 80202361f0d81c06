import type { ExecutionResult } from '../../protocol';
import type { JsonSchema } from '../../validation';

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

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * `value` with the schema's property defaults filled in where a key is missing, as the service
 * does before it stores a run's input: `{ "text": "Hi" }` and a stored `{ text: 'Hi', style:
 * 'brief' }` are the same input when `style` defaults to `brief`.
 */
function withDefaults(value: unknown, schema: JsonSchema | undefined): unknown {
  const properties = isObject(schema) ? schema.properties : undefined;
  if (!isObject(value) || !isObject(properties)) return value;
  let filled: Record<string, unknown> = { ...value };
  for (const [key, property] of Object.entries(properties)) {
    if (!isObject(property)) continue;
    if (Object.hasOwn(filled, key)) filled[key] = withDefaults(filled[key], property as JsonSchema);
    // A computed key in a literal is defined, not assigned: a `__proto__` key stays a member.
    else if (Object.hasOwn(property, 'default')) filled = { ...filled, [key]: property.default };
  }
  return filled;
}

/**
 * A check of history entries against the editor's current input (its text), parsed once: an
 * entry is stale when its run was made with other input. Key order, whitespace and fields left
 * to their schema default (pass the agent's input `schema`) do not count; text that is not JSON
 * is stale unless the run's input was that same string.
 */
export function createStaleCheck(
  editorText: string,
  schema?: JsonSchema,
): (entry: Pick<ExecutionResult, 'input'>) => boolean {
  let current: string;
  try {
    current = JSON.stringify(canonical(withDefaults(JSON.parse(editorText), schema)));
  } catch {
    return (entry) => entry.input !== editorText;
  }
  // Both sides get the defaults: a stored input has them, a run of this session may not yet.
  return (entry) => JSON.stringify(canonical(withDefaults(entry.input, schema))) !== current;
}

/** Whether one history entry is stale (see {@link createStaleCheck}, which parses the text once for many entries). */
export function isHistoryEntryStale(
  entry: Pick<ExecutionResult, 'input'>,
  editorText: string,
  schema?: JsonSchema,
): boolean {
  return createStaleCheck(editorText, schema)(entry);
}
