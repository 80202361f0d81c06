/** The value below which `fraction` of the samples fall (nearest rank), or `undefined` without samples. */
export function percentile(samples: readonly number[], fraction: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Milliseconds for people: `212 ms`, `1.48 s`. */
export function formatMs(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(2)} s`;
}

/** A fraction as a percentage with two decimals: `0.25 %`. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)} %`;
}

/** One bar of a latency histogram: samples in `[from, to)`. */
export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}

/**
 * Latency buckets for a histogram: `count` equal buckets from 0 to just past the largest
 * sample (or the target, when that is larger), so the target line always fits the chart.
 */
export function histogram(samples: readonly number[], target: number, count = 20): HistogramBucket[] {
  const top = Math.max(target * 1.2, ...samples.map((sample) => sample * 1.05), 1);
  const width = niceWidth(top / count);
  const buckets: HistogramBucket[] = [];
  for (let index = 0; index * width < top; index += 1) {
    buckets.push({ from: index * width, to: (index + 1) * width, count: 0 });
  }
  for (const sample of samples) {
    const index = Math.min(buckets.length - 1, Math.floor(sample / width));
    const bucket = buckets[index];
    if (bucket) bucket.count += 1;
  }
  return buckets;
}

/** A bucket width of 1, 2 or 5 × a power of ten. */
function niceWidth(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}
