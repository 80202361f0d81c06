/** Header values as `fetch` takes them, plus records whose `undefined` values are left out. */
export type HeadersValue = HeadersInit | Record<string, string | undefined>;

/** Flattens any {@link HeadersValue} into a plain record, dropping `undefined` values. */
export function toRecord(init: HeadersValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  if (Array.isArray(init)) {
    for (const [name, value] of init) if (name !== undefined && value !== undefined) out[name] = value;
    return out;
  }
  for (const [name, value] of Object.entries(init)) if (value !== undefined) out[name] = String(value);
  return out;
}
