// Numbers go through Intl so `locale` changes separators and currency placement.

// Made once per locale and options: a new Intl.NumberFormat costs about a millisecond, and the
// size counter formats on every key.
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}${JSON.stringify(options)}`;
  const format = formats.get(key) ?? new Intl.NumberFormat(locale, options);
  formats.set(key, format);
  return format;
}

/** `850 ms`, `2.3 s`. */
export function formatDuration(ms: number, locale?: string): string {
  if (ms < 1000) return `${numberFormat(locale, { maximumFractionDigits: 0 }).format(ms)} ms`;
  return `${numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

/**
 * Durations shown side by side in one unit, so `850 ms` never sits next to `2.3 s`: seconds
 * (two decimals below 10 s) when the largest is a second or more, else milliseconds.
 */
export function formatDurations(values: readonly (number | null | undefined)[], locale?: string): string[] {
  const largest = Math.max(0, ...values.filter((value): value is number => typeof value === 'number'));
  return values.map((ms) => {
    if (typeof ms !== 'number') return '';
    if (largest < 1000) return `${numberFormat(locale, { maximumFractionDigits: 0 }).format(ms)} ms`;
    const digits = largest < 10_000 ? 2 : 1;
    return `${numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(ms / 1000)} s`;
  });
}

/** Whole numbers with the locale's grouping: `12,345`. */
export function formatCount(value: number, locale?: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** USD with enough digits that small costs never round to `$0.00`. */
export function formatUsd(value: number, locale?: string): string {
  return value >= 1 || value === 0
    ? numberFormat(locale, { style: 'currency', currency: 'USD' }).format(value)
    : numberFormat(locale, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 }).format(value);
}

/** `512 B`, `20.0 kB`, `1.0 MB`, for sizes of text. */
export function formatBytes(bytes: number, locale?: string): string {
  if (bytes < 1000) return `${formatCount(bytes, locale)} B`;
  const mega = bytes >= 1e6;
  const value = numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    bytes / (mega ? 1e6 : 1e3),
  );
  return `${value} ${mega ? 'MB' : 'kB'}`;
}

/** Wall-clock time of a run, for the history list. */
export function formatTime(timestamp: number, locale?: string): string {
  return new Date(timestamp).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
