/** One difference between two JSON values, at `path` (object keys and array indexes). */
export type JsonChange =
  | { kind: 'added'; path: readonly (string | number)[]; after: unknown }
  | { kind: 'removed'; path: readonly (string | number)[]; before: unknown }
  | { kind: 'changed'; path: readonly (string | number)[]; before: unknown; after: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The differences between two JSON values, path by path: keys only in `after` are `added`,
 * keys only in `before` are `removed`, leaves (or values of another shape) that differ are
 * `changed`. `jsonDiff(a, a)` is empty. No dependency: compare views read it as text, so
 * the difference never depends on colour alone.
 */
export function jsonDiff(before: unknown, after: unknown, path: readonly (string | number)[] = []): JsonChange[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: JsonChange[] = [];
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index += 1) {
      const at = [...path, index];
      if (index >= after.length) changes.push({ kind: 'removed', path: at, before: before[index] });
      else if (index >= before.length) changes.push({ kind: 'added', path: at, after: after[index] });
      else changes.push(...jsonDiff(before[index], after[index], at));
    }
    return changes;
  }
  if (isRecord(before) && isRecord(after)) {
    const changes: JsonChange[] = [];
    for (const key of Object.keys(before)) {
      const at = [...path, key];
      if (!Object.hasOwn(after, key)) changes.push({ kind: 'removed', path: at, before: before[key] });
      else changes.push(...jsonDiff(before[key], after[key], at));
    }
    for (const key of Object.keys(after)) {
      if (!Object.hasOwn(before, key)) changes.push({ kind: 'added', path: [...path, key], after: after[key] });
    }
    return changes;
  }
  return Object.is(before, after) ? [] : [{ kind: 'changed', path, before, after }];
}

/** Applies `changes` (from {@link jsonDiff}) to a copy of `before`; the result equals `after`. */
export function applyJsonDiff(before: unknown, changes: readonly JsonChange[]): unknown {
  let root: unknown = structuredClone(before);
  const removals: { parent: unknown; key: string | number }[] = [];
  for (const change of changes) {
    if (change.path.length === 0) {
      root = change.kind === 'removed' ? undefined : structuredClone(change.after);
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (const key of change.path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = change.path[change.path.length - 1] as string | number;
    if (change.kind === 'removed') removals.push({ parent, key: last });
    // Defined, not assigned: assigning a `__proto__` key (valid JSON) would set the prototype.
    else
      Object.defineProperty(parent, last, {
        value: structuredClone(change.after),
        writable: true,
        enumerable: true,
        configurable: true,
      });
  }
  // Array removals come from the end: drop them highest index first so indexes stay valid.
  for (const { parent, key } of removals.reverse()) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Record<string, unknown>)[key as string];
  }
  return root;
}

/** One line of a text diff: kept in both, only in the first (`-`), or only in the second (`+`). */
export interface LineChange {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** A line diff of two texts (longest common subsequence); for text outputs. */
export function lineDiff(before: string, after: string): LineChange[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const table: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const lines: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ kind: 'same', text: a[i]! });
      i += 1;
      j += 1;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) {
      lines.push({ kind: 'removed', text: a[i]! });
      i += 1;
    } else {
      lines.push({ kind: 'added', text: b[j]! });
      j += 1;
    }
  }
  for (; i < a.length; i += 1) lines.push({ kind: 'removed', text: a[i]! });
  for (; j < b.length; j += 1) lines.push({ kind: 'added', text: b[j]! });
  return lines;
}

/** A signed difference for the compare view: `+12 ms`, `−0.0010`, `±0`; `—` when either is unknown. */
export function signedDelta(before: number | undefined, after: number | undefined, unit = ''): string {
  if (before === undefined || after === undefined) return '—';
  const delta = after - before;
  const suffix = unit ? ` ${unit}` : '';
  if (delta === 0) return `±0${suffix}`;
  return `${delta > 0 ? '+' : '−'}${Math.abs(Number(delta.toPrecision(6)))}${suffix}`;
}
