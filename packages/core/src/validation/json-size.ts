// An upper bound of a value's size as UTF-8 JSON, found without serializing it: the common input
// (a few keys of short strings) is then known to fit under `maxInputBytes` with no JSON.stringify
// (which builds, and throws away, the whole text). Only plain data is bounded: anything
// JSON.stringify treats specially (toJSON, a BigInt, a function, a class instance) answers
// "cannot tell", and the caller serializes as before.

/** How deep the bound looks before it gives up (a short recursion: no deeper than this). */
const MAX_BOUND_DEPTH = 32;

/**
 * Worst cases per UTF-16 unit of a string: 6 bytes (`\u001f`, or a lone surrogate escaped as
 * `\udc00`); a character outside the BMP is two units and 4 bytes of UTF-8. The quotes add 2.
 */
const stringBound = (text: string) => text.length * 6 + 2;

/** `-1.2345678901234567e-308`: 24 characters, the longest a finite number prints as. */
const NUMBER_BOUND = 24;

function bound(value: unknown, depth: number, budget: number): number {
  switch (typeof value) {
    case 'string':
      return stringBound(value);
    case 'number':
      return NUMBER_BOUND;
    case 'boolean':
      return 5;
    case 'object':
      break;
    default:
      // undefined, a function, a symbol (dropped or null), a BigInt (throws): not bounded here.
      return Number.POSITIVE_INFINITY;
  }
  if (value === null) return 4;
  if (depth > MAX_BOUND_DEPTH) return Number.POSITIVE_INFINITY;
  // An array subclass or an object may print as whatever its toJSON answers.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return Number.POSITIVE_INFINITY;
  let total = 2;
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    for (let index = 0; index < items.length && total <= budget; index += 1) {
      const item = items[index];
      // An array's hole or undefined item prints as null.
      total += (item === undefined ? 4 : bound(item, depth + 1, budget - total)) + 1;
    }
    return total;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return Number.POSITIVE_INFINITY;
  for (const key in value) {
    if (total > budget) break;
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    total += stringBound(key) + 1 + bound(item, depth + 1, budget - total) + 1;
  }
  return total;
}

/**
 * Whether `value` is certainly plain JSON data of at most `maxBytes` bytes of UTF-8 JSON, without
 * serializing it. `false` means "cannot tell" (too large for the bound, or not plain data): serialize
 * and measure. A getter that throws answers `false` too.
 */
export function fitsAsJson(value: unknown, maxBytes: number): boolean {
  if (value === undefined) return false;
  try {
    return bound(value, 1, maxBytes) <= maxBytes;
  } catch {
    return false;
  }
}
