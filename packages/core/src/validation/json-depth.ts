import { AgentryError } from '../errors';
import { formatIssuePath } from './zod-issues';

// Recursive code (zod's recursive schemas, JSON.stringify, structuredClone, the redactor) runs
// out of call stack on values nested a few thousand levels deep: in Node 24, z.json() fails
// at about 1,170 levels and structuredClone at about 1,650. Values from outside are therefore
// measured here, without recursion, before anything recursive touches them.

/** The deepest nesting of arrays and objects accepted unless configured otherwise. */
export const DEFAULT_MAX_DEPTH = 256;

/**
 * The largest depth limit that may be configured: well under the ~1,170 levels at which
 * zod's recursive schemas exhaust Node's default stack.
 */
export const MAX_DEPTH_CEILING = 512;

/** Why a value cannot be accepted as JSON data, and where. */
export type DepthProblem =
  | { type: 'too_deep'; path: (string | number)[] }
  | { type: 'cycle'; path: (string | number)[] }
  | { type: 'too_many_values' };

interface Frame {
  kind: 'enter';
  value: object;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
}

type StackEntry = Frame | { kind: 'exit'; value: object };

function pathOf(frame: Frame | undefined): (string | number)[] {
  const path: (string | number)[] = [];
  for (let current = frame; current?.key !== undefined; current = current.parent) path.push(current.key);
  return path.reverse();
}

// The common value (an input or an output of a few levels) is checked by a short recursion
// that allocates next to nothing; it answers "fine" or "cannot tell" (deeper than FAST_DEPTH, a
// cycle, too many values, or past maxDepth), and then the iterative walk below finds the problem
// and its path. Recursion is safe here: it never goes deeper than FAST_DEPTH frames.
const FAST_DEPTH = 32;

interface FastScan {
  readonly limit: number;
  readonly maxValues: number;
  seen: number;
  /** The objects above the current one (at most FAST_DEPTH): a cycle is one met again among them. */
  readonly ancestors: object[];
}

function fastFine(value: object, depth: number, scan: FastScan): boolean {
  if (depth > scan.limit) return false;
  const { ancestors } = scan;
  for (const ancestor of ancestors) if (ancestor === value) return false;
  ancestors.push(value);
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    scan.seen += items.length;
    if (scan.seen > scan.maxValues) return false;
    for (const item of items) {
      if (item !== null && typeof item === 'object' && !fastFine(item, depth + 1, scan)) return false;
    }
  } else {
    const keys = Object.keys(value);
    scan.seen += keys.length;
    if (scan.seen > scan.maxValues) return false;
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object' && !fastFine(item, depth + 1, scan)) return false;
    }
  }
  ancestors.pop();
  return true;
}

/**
 * An object none of whose values is an object or array (the usual input: a few strings and
 * numbers) is one level deep and holds no cycle: fine, found without the scan's allocations.
 * Inherited enumerable keys, if any, are counted too: that can only send it to the scan.
 */
function flatAndFine(value: object, maxDepth: number, maxValues: number): boolean {
  if (maxDepth < 1 || Array.isArray(value)) return false;
  let count = 0;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object') return false;
    count += 1;
  }
  return count <= maxValues;
}

/** Whether `value` certainly has no depth problem, found without the walk's frames (see FAST_DEPTH). */
function shallowAndFine(value: object, maxDepth: number, maxValues: number): boolean {
  try {
    if (flatAndFine(value, maxDepth, maxValues)) return true;
    return fastFine(value, 1, { limit: Math.min(maxDepth, FAST_DEPTH), maxValues, seen: 0, ancestors: [] });
  } catch {
    // A getter that throws: the walk below meets it too, and answers as it always has.
    return false;
  }
}

/**
 * Finds the first place (in document order) where `value` nests arrays and objects more than
 * `maxDepth` levels deep, or refers to itself. Iterative: any depth is measured without using
 * the call stack. `maxValues` bounds the work on values that share sub-objects (a JS value can,
 * parsed JSON cannot): past that many child values the answer is `too_many_values`.
 * A scalar has depth 0, `[]` and `{}` depth 1, `[[1]]` depth 2.
 */
export function findDepthProblem(
  value: unknown,
  maxDepth: number,
  maxValues = Number.POSITIVE_INFINITY,
): DepthProblem | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (shallowAndFine(value, maxDepth, maxValues)) return undefined;
  return walkDepthProblem(value, maxDepth, maxValues);
}

/** {@link findDepthProblem} without the fast check: the iterative walk, for any depth (exported for tests). */
export function walkDepthProblem(value: object, maxDepth: number, maxValues: number): DepthProblem | undefined {
  const onPath = new Set<object>();
  const stack: StackEntry[] = [{ kind: 'enter', value, depth: 1, key: undefined, parent: undefined }];
  let seen = 0;
  const pushChild = (parent: Frame, key: string | number, child: unknown): DepthProblem | undefined => {
    if (child === null || typeof child !== 'object') return undefined;
    const frame: Frame = { kind: 'enter', value: child, depth: parent.depth + 1, key, parent };
    if (onPath.has(child)) return { type: 'cycle', path: pathOf(frame) };
    stack.push(frame);
    return undefined;
  };
  while (stack.length > 0) {
    const entry = stack.pop() as StackEntry;
    if (entry.kind === 'exit') {
      onPath.delete(entry.value);
      continue;
    }
    if (entry.depth > maxDepth) return { type: 'too_deep', path: pathOf(entry) };
    onPath.add(entry.value);
    stack.push({ kind: 'exit', value: entry.value });
    // Children are pushed last-first so the first is examined first: problems are found in document order.
    if (Array.isArray(entry.value)) {
      const items: unknown[] = entry.value;
      seen += items.length;
      if (seen > maxValues) return { type: 'too_many_values' };
      for (let index = items.length - 1; index >= 0; index -= 1) {
        const problem = pushChild(entry, index, items[index]);
        if (problem) return problem;
      }
    } else {
      const record = entry.value as Record<string, unknown>;
      const keys = Object.keys(record);
      seen += keys.length;
      if (seen > maxValues) return { type: 'too_many_values' };
      for (let index = keys.length - 1; index >= 0; index -= 1) {
        const key = keys[index] as string;
        const problem = pushChild(entry, key, record[key]);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

/** A JSON path short enough for a message: `$.a.a.a…` after a few segments. */
export function shortPath(path: readonly (string | number)[]): string {
  const shown = 6;
  return path.length > shown ? `${formatIssuePath(path.slice(0, shown))}…` : formatIssuePath(path);
}

/**
 * The refusal for an input that nests deeper than `maxDepth`, refers to itself, or holds more
 * values than `maxBytes` of JSON could; `undefined` when the input's shape is acceptable.
 */
export function inputShapeError(input: unknown, maxDepth: number, maxBytes: number): AgentryError | undefined {
  // Every value costs at least one byte of JSON, so more values than bytes cannot fit.
  const problem = findDepthProblem(input, maxDepth, maxBytes);
  if (problem === undefined) return undefined;
  switch (problem.type) {
    case 'too_deep':
      return new AgentryError(
        'validation_failed',
        `The input nests arrays and objects more than ${maxDepth} levels deep (at ${shortPath(problem.path)}). Flatten it, or raise limits.maxDepth (at most ${MAX_DEPTH_CEILING}).`,
        {
          issues: [{ path: problem.path, code: 'too_deep', message: `Nested more than ${maxDepth} levels deep.` }],
          userMessage: `The input is nested too deeply (more than ${maxDepth} levels). Flatten it and try again.`,
        },
      );
    case 'cycle':
      return new AgentryError(
        'validation_failed',
        `The input contains itself (a cycle at ${shortPath(problem.path)}): pass plain JSON data.`,
        { issues: [{ path: problem.path, code: 'cycle', message: 'This value contains itself.' }] },
      );
    case 'too_many_values':
      return new AgentryError(
        'input_too_large',
        `The input holds more values than ${maxBytes} bytes of JSON can; this executor accepts at most ${maxBytes} bytes (limits.maxInputBytes).`,
        {
          issues: [{ path: [], message: `At most ${maxBytes} bytes.` }],
          limit: { kind: 'input_size', value: maxBytes, unit: 'bytes' },
        },
      );
    default:
      return problem satisfies never;
  }
}

/** Why a model's structured output cannot be accepted as JSON data (too deep, or a cycle), or `undefined`. */
export function outputShapeProblem(output: unknown, maxDepth: number): string | undefined {
  const problem = findDepthProblem(output, maxDepth);
  if (problem === undefined || problem.type === 'too_many_values') return undefined;
  return problem.type === 'too_deep'
    ? `nests arrays and objects more than ${maxDepth} levels deep (at ${shortPath(problem.path)}; limits.maxDepth)`
    : `contains itself (a cycle at ${shortPath(problem.path)})`;
}
