// JSON with its object keys sorted, so that equal data always has one text: the input of a
// tape key (compact) and the on-disk form of a tape (pretty, diff-friendly).

function sortedCopy(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`${path} is ${String(value)}, which JSON cannot hold.`);
    }
    if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`${path} is a ${typeof value}, which JSON cannot hold.`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => (item === undefined ? null : sortedCopy(item, `${path}[${index}]`)));
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return sortedCopy((value as { toJSON(): unknown }).toJSON(), path);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    // As JSON.stringify: absent, never `null`, so `{ a: undefined }` and `{}` are one text.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    out[key] = sortedCopy(item, `${path}.${key}`);
  }
  return out;
}

/**
 * The canonical JSON text of `value`: object keys sorted by code unit, no whitespace, `undefined`
 * members left out. Throws a `TypeError` naming the path for what JSON cannot hold (`NaN`, a
 * BigInt, a function in an array). Linear in the size of the value (plus each object's key sort).
 */
export function canonicalJson(value: unknown): string {
  return canonicalJsonParts(value).join('');
}

/** {@link canonicalJson} as the pieces it is made of, in order (to hash without joining a large text). */
export function canonicalJsonParts(value: unknown): string[] {
  const parts: string[] = [];
  try {
    write(value, parts);
  } catch {
    // The fast pass keeps no paths; the copying pass names the one that failed.
    sortedCopy(value, '$');
    throw new TypeError('canonicalJson: the value cannot be written as JSON.');
  }
  return parts;
}

// One pass that writes the text directly (no sorted copy first): this runs on every replayed call.
function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' || typeof value === 'boolean') out.push(JSON.stringify(value));
    else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError('not finite');
      out.push(JSON.stringify(value));
    } else if (value === null || value === undefined) out.push('null');
    else throw new TypeError(typeof value);
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out.push(',');
      const item = value[index];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') out.push('null');
      else write(item, out);
    }
    out.push(']');
    return;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    write((value as { toJSON(): unknown }).toJSON(), out);
    return;
  }
  out.push('{');
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(item, out);
  }
  out.push('}');
}

/** As {@link canonicalJson}, pretty-printed with two spaces and a final newline: the tape file form. */
export function prettyCanonicalJson(value: unknown): string {
  return `${JSON.stringify(sortedCopy(value, '$'), null, 2)}\n`;
}
