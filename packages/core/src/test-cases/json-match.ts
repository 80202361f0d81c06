// `equals` and `contains` over JSON values, answering where they first differ (not just whether),
// so a failed test case can say what was expected, what came, and where.

/** Where an output first departs from an expectation. */
export interface JsonMismatch {
  /** Path from the output's root to the differing value; empty for the root. */
  path: (string | number)[];
  /** The expected value at `path` (`undefined` for a key the output has and the expectation lacks). */
  expected: unknown;
  /** The output's value at `path` (`undefined` when the output has none there). */
  received: unknown;
  /** Why they differ, in a few words: `a different value`, `a missing key`, … */
  reason: string;
}

type Path = (string | number)[];

function kind(value: unknown): 'array' | 'object' | 'string' | 'number' | 'boolean' | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'object') return 'object';
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  return 'other';
}

function mismatch(path: Path, expected: unknown, received: unknown, reason: string): JsonMismatch {
  return { path, expected, received, reason };
}

/**
 * The first place where `received` is not equal to `expected` as JSON (object key order does not
 * matter; array order does), or `undefined` when they are equal.
 */
export function findEqualsMismatch(expected: unknown, received: unknown, path: Path = []): JsonMismatch | undefined {
  const expectedKind = kind(expected);
  const receivedKind = kind(received);
  if (expectedKind !== receivedKind)
    return mismatch(path, expected, received, `${receivedKind} instead of ${expectedKind}`);
  if (expectedKind === 'array') {
    const left = expected as unknown[];
    const right = received as unknown[];
    const shared = Math.min(left.length, right.length);
    for (let index = 0; index < shared; index += 1) {
      const found = findEqualsMismatch(left[index], right[index], [...path, index]);
      if (found) return found;
    }
    if (left.length !== right.length) {
      return left.length > right.length
        ? mismatch([...path, shared], left[shared], undefined, `a missing item (${right.length} of ${left.length})`)
        : mismatch(
            [...path, shared],
            undefined,
            right[shared],
            `an extra item (${right.length}, expected ${left.length})`,
          );
    }
    return undefined;
  }
  if (expectedKind === 'object') {
    const left = expected as Record<string, unknown>;
    const right = received as Record<string, unknown>;
    for (const key of Object.keys(left)) {
      if (!Object.hasOwn(right, key)) return mismatch([...path, key], left[key], undefined, 'a missing key');
      const found = findEqualsMismatch(left[key], right[key], [...path, key]);
      if (found) return found;
    }
    for (const key of Object.keys(right)) {
      if (!Object.hasOwn(left, key)) return mismatch([...path, key], undefined, right[key], 'an extra key');
    }
    return undefined;
  }
  return expected === received ? undefined : mismatch(path, expected, received, 'a different value');
}

/**
 * The first place where `received` does not contain `expected`, or `undefined` when it does:
 * a string contains a substring; an object contains every expected key with a value that
 * contains the expected one (extra keys are fine); an array contains each expected item in
 * some item of its own (order and extra items are fine); numbers, booleans and null must be equal.
 */
export function findContainsMismatch(expected: unknown, received: unknown, path: Path = []): JsonMismatch | undefined {
  const expectedKind = kind(expected);
  const receivedKind = kind(received);
  if (expectedKind !== receivedKind)
    return mismatch(path, expected, received, `${receivedKind} instead of ${expectedKind}`);
  if (expectedKind === 'string') {
    return (received as string).includes(expected as string)
      ? undefined
      : mismatch(path, expected, received, 'text that does not include it');
  }
  if (expectedKind === 'array') {
    const items = received as unknown[];
    const wanted = expected as unknown[];
    for (let index = 0; index < wanted.length; index += 1) {
      const item = wanted[index];
      if (!items.some((candidate) => findContainsMismatch(item, candidate) === undefined)) {
        return mismatch([...path, index], item, undefined, 'no item that contains it');
      }
    }
    return undefined;
  }
  if (expectedKind === 'object') {
    const left = expected as Record<string, unknown>;
    const right = received as Record<string, unknown>;
    for (const key of Object.keys(left)) {
      if (!Object.hasOwn(right, key)) return mismatch([...path, key], left[key], undefined, 'a missing key');
      const found = findContainsMismatch(left[key], right[key], [...path, key]);
      if (found) return found;
    }
    return undefined;
  }
  return expected === received ? undefined : mismatch(path, expected, received, 'a different value');
}
