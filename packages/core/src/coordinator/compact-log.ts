import type { ExecutionEvent, SucceededExecution } from '../protocol';

type Metrics = SucceededExecution['metrics'];
type Usage = Extract<ExecutionEvent, { type: 'usage' }>['usage'];

// A finished run's log is kept for minutes (1,000 of them by default), and every object it keeps
// is one more for each young-generation collection to copy while it lives. Most runs log the
// same few events: the start, the text's deltas, the usage and the finish, and all but the
// deltas repeat fields of the record the finish carries. Such a log is kept as its record alone
// (no deltas: an `execute()`) or as `[record, ...deltas]`, and given back as events equal to the
// ones appended, key for key and in the same key order. Any other log (steps, an error, a field
// that differs, ids that do not run 1, 2, 3, …) is kept as it is.

/** A finished log in its compact form: the record, or the record and the deltas' texts. */
export type CompactLog = SucceededExecution | [SucceededExecution, ...string[]];

const START_KEYS = ['type', 'executionId', 'agentId', 'mode', 'requestedMode', 'provider', 'model', 'startedAt'];
const DELTA_KEYS = ['type', 'executionId', 'delta'];
const USAGE_KEYS = ['type', 'executionId', 'usage'];
const FINISH_KEYS = ['type', 'executionId', 'result'];
const TOKEN_KEYS = ['inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens'] as const;

/** Whether `object` has exactly `keys`, in that order (for…in on a plain object allocates nothing). */
function hasKeys(object: object, keys: readonly string[]): boolean {
  let index = 0;
  for (const key in object) {
    if (key !== keys[index]) return false;
    index += 1;
  }
  return index === keys.length;
}

/** The usage's fields are the record's tokens, in their canonical order (the ones a run has). */
function usageMatches(usage: object, metrics: Metrics): boolean {
  let next = 0;
  for (const key in usage) {
    while (next < TOKEN_KEYS.length && TOKEN_KEYS[next] !== key) next += 1;
    if (next === TOKEN_KEYS.length) return false;
    const field = TOKEN_KEYS[next] as (typeof TOKEN_KEYS)[number];
    if ((usage as Record<string, unknown>)[key] !== metrics[field]) return false;
    next += 1;
  }
  // The record has no token field the usage lacks (an optional one present only there).
  return (
    (metrics.cachedInputTokens === undefined || 'cachedInputTokens' in usage) &&
    (metrics.reasoningTokens === undefined || 'reasoningTokens' in usage) &&
    'inputTokens' in usage &&
    'outputTokens' in usage
  );
}

/**
 * The compact form of a finished log of `tenantId`'s run whose events have the ids 1, 2, 3, …,
 * or undefined when the events are not exactly what {@link expandLog} gives back.
 */
export function compactLog(tenantId: string, events: readonly ExecutionEvent[]): CompactLog | undefined {
  const count = events.length;
  if (count < 3) return undefined;
  const finish = events[count - 1] as ExecutionEvent;
  if (finish.type !== 'execution-finish' || !hasKeys(finish, FINISH_KEYS)) return undefined;
  const record = finish.result;
  // Appended through the coordinator's interface, a finish may carry anything.
  if (typeof record !== 'object' || record === null) return undefined;
  const { id, metrics } = record;
  if (finish.executionId !== id || record.tenantId !== tenantId || typeof metrics !== 'object' || metrics === null)
    return undefined;
  const start = events[0] as ExecutionEvent;
  if (
    start.type !== 'execution-start' ||
    !hasKeys(start, START_KEYS) ||
    start.executionId !== id ||
    start.agentId !== record.agentId ||
    start.mode !== record.mode ||
    start.requestedMode !== record.requestedMode ||
    start.provider !== metrics.provider ||
    start.model !== metrics.model ||
    start.startedAt !== record.startedAt
  )
    return undefined;
  const usage = events[count - 2] as ExecutionEvent;
  if (
    usage.type !== 'usage' ||
    !hasKeys(usage, USAGE_KEYS) ||
    usage.executionId !== id ||
    typeof usage.usage !== 'object' ||
    usage.usage === null ||
    Object.getPrototypeOf(usage.usage) !== Object.prototype ||
    !usageMatches(usage.usage, metrics)
  )
    return undefined;
  if (count === 3) return record;
  // Made at its final length: pushes would grow its store past it, and it is kept for minutes.
  const compact = new Array<SucceededExecution | string>(count - 2);
  compact[0] = record;
  for (let index = 1; index < count - 2; index += 1) {
    const delta = events[index] as ExecutionEvent;
    if (delta.type !== 'output-delta' || !hasKeys(delta, DELTA_KEYS) || delta.executionId !== id) return undefined;
    compact[index] = delta.delta;
  }
  return compact as [SucceededExecution, ...string[]];
}

/** The events a {@link compactLog} answer stands for, as new objects (ids 1, 2, 3, …). */
export function expandLog(compact: CompactLog): ExecutionEvent[] {
  const record = Array.isArray(compact) ? compact[0] : compact;
  const { id: executionId, metrics } = record;
  const events: ExecutionEvent[] = [
    {
      type: 'execution-start',
      executionId,
      agentId: record.agentId,
      mode: record.mode,
      requestedMode: record.requestedMode,
      provider: metrics.provider,
      model: metrics.model,
      startedAt: record.startedAt,
    },
  ];
  if (Array.isArray(compact))
    for (let index = 1; index < compact.length; index += 1)
      events.push({ type: 'output-delta', executionId, delta: compact[index] as string });
  const usage: Usage = { inputTokens: metrics.inputTokens, outputTokens: metrics.outputTokens };
  if (metrics.cachedInputTokens !== undefined) usage.cachedInputTokens = metrics.cachedInputTokens;
  if (metrics.reasoningTokens !== undefined) usage.reasoningTokens = metrics.reasoningTokens;
  events.push({ type: 'usage', executionId, usage });
  events.push({ type: 'execution-finish', executionId, result: record });
  return events;
}
