import type { CheckStatus } from './checklist';
import type { VerifyReport } from './report';
import { formatMs, histogram, percentile } from './statistics';

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'Passed', warn: 'Warning', fail: 'Failed', skip: 'Not run' };
/** Drawn with CSS and plain letters: an emoji font is not on every machine that opens the page. */
const BADGE: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * An inline SVG histogram of latencies with the target as a dashed line: no script, no
 * external asset, readable without colour (the target is labelled, bars carry their counts).
 */
export function latencyHistogramSvg(
  id: string,
  title: string,
  samples: readonly number[],
  targetMs: number | undefined,
): string {
  const width = 640;
  const height = 240;
  const left = 44;
  const right = 16;
  const top = 28;
  const bottom = 40;
  const buckets = histogram(samples, targetMs ?? 0);
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const maxCount = Math.max(1, ...buckets.map((bucket) => bucket.count));
  const end = buckets.at(-1)?.to ?? targetMs ?? 1;
  const x = (ms: number) => left + (ms / end) * plotWidth;
  const y = (count: number) => top + plotHeight - (count / maxCount) * plotHeight;
  const bars = buckets
    .map((bucket) => {
      const barX = x(bucket.from) + 1;
      const barWidth = Math.max(1, x(bucket.to) - x(bucket.from) - 2);
      const over = targetMs !== undefined && bucket.from >= targetMs;
      const label =
        bucket.count > 0
          ? `<text x="${(barX + barWidth / 2).toFixed(1)}" y="${(y(bucket.count) - 4).toFixed(1)}" text-anchor="middle" class="count">${bucket.count}</text>`
          : '';
      return `<rect x="${barX.toFixed(1)}" y="${y(bucket.count).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(top + plotHeight - y(bucket.count)).toFixed(1)}" class="${over ? 'bar over' : 'bar'}"><title>${formatMs(bucket.from)}–${formatMs(bucket.to)}: ${bucket.count}</title></rect>${label}`;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((fraction) => {
      const ms = end * fraction;
      return `<text x="${x(ms).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle" class="tick">${formatMs(ms)}</text>`;
    })
    .join('');
  const p50 = percentile(samples, 0.5);
  const p95 = percentile(samples, 0.95);
  const summary = `${samples.length} runs; p50 ${formatMs(p50)}, p95 ${formatMs(p95)}${targetMs === undefined ? '' : `; target ${formatMs(targetMs)}`}`;
  return `<figure class="chart" data-chart="${escapeHtml(id)}">
<svg role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">${escapeHtml(title)}</title>
<desc id="${id}-desc">${escapeHtml(summary)}</desc>
<line x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}" class="axis"/>
${bars}
${
  targetMs === undefined
    ? ''
    : `<line x1="${x(targetMs).toFixed(1)}" y1="${top - 8}" x2="${x(targetMs).toFixed(1)}" y2="${top + plotHeight}" class="target"/>
<text x="${(x(targetMs) + 4).toFixed(1)}" y="${top - 12}" class="target-label">target ${formatMs(targetMs)}</text>`
}
${ticks}
<text x="${left + plotWidth / 2}" y="${height - 6}" text-anchor="middle" class="tick">latency (count of runs per bucket)</text>
</svg>
<figcaption>${escapeHtml(title)}: ${escapeHtml(summary)}</figcaption>
</figure>`;
}

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; }
body { margin: 0 auto; max-width: 960px; padding: 24px; color: #1b1f24; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
.meta { color: #57606a; margin: 0 0 12px; word-break: break-all; }
.verdict { display: inline-block; padding: 6px 12px; border-radius: 6px; font-weight: 600; }
.verdict.pass { background: #dafbe1; color: #116329; }
.verdict.warn { background: #fff8c5; color: #7d4e00; }
.verdict.fail { background: #ffebe9; color: #a40e26; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #eaeef2; }
th { background: #f6f8fa; font-weight: 600; }
td.status { white-space: nowrap; }
.badge { display: inline-block; width: 1.3em; height: 1.3em; line-height: 1.3em; border-radius: 50%; text-align: center; font-weight: 700; font-size: 0.85em; color: #fff; }
.badge.pass { background: #1a7f37; }
.badge.warn { background: #9a6700; }
.badge.fail { background: #cf222e; }
.badge.skip { background: #8c959f; }
tr.fail td { background: #fff5f5; }
tr.warn td { background: #fffdf0; }
details summary { cursor: pointer; color: #0969da; }
details ul { margin: 6px 0 0; padding-left: 18px; font-size: 0.9rem; color: #424a53; }
.chart svg { max-width: 100%; height: auto; font-size: 11px; }
.chart .bar { fill: #0969da; }
.chart .bar.over { fill: #cf222e; }
.chart .axis { stroke: #57606a; }
.chart .target { stroke: #cf222e; stroke-width: 2; stroke-dasharray: 6 4; }
.chart .target-label { fill: #a40e26; font-weight: 600; }
.chart .tick, .chart .count { fill: #424a53; }
figcaption { color: #57606a; font-size: 0.9rem; }
.signature { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; margin-top: 12px; }
.signature div { border-bottom: 1px solid #57606a; padding-top: 28px; color: #57606a; font-size: 0.85rem; }
footer { margin-top: 32px; color: #57606a; font-size: 0.85rem; }
@media print { details { display: block; } details > summary { display: none; } }
`;

/** The sign-off page: self-contained HTML (inline CSS and SVG; no script, no external asset). */
export function renderHtml(report: VerifyReport): string {
  const rows = report.checks
    .map((item) => {
      const details =
        item.details.length === 0
          ? ''
          : `<details${item.status === 'fail' || item.status === 'warn' ? ' open' : ''}><summary>${item.details.length} detail${item.details.length === 1 ? '' : 's'}</summary><ul>${item.details.map((detail) => `<li>${escapeHtml(detail)}</li>`).join('')}</ul></details>`;
      return `<tr class="${item.status}" data-check="${escapeHtml(item.id)}" data-status="${item.status}"><td class="status"><span class="badge ${item.status}" aria-hidden="true">${BADGE[item.status]}</span> ${STATUS_WORD[item.status]}</td><td>${escapeHtml(item.title)}</td><td>${escapeHtml(item.figure)}${details}</td></tr>`;
    })
    .join('\n');
  const { latency } = report;
  const charts = [
    latencyHistogramSvg(
      'mock-first-output',
      'Mock runs: time to first output',
      latency.mockFirstOutputMs,
      latency.targetMs.mock,
    ),
    latency.liveFirstOutputMs.length > 0
      ? latencyHistogramSvg(
          'live-first-output',
          'Live runs: time to first output',
          latency.liveFirstOutputMs,
          latency.targetMs.live,
        )
      : '',
    latency.loadMs.length > 0
      ? latencyHistogramSvg('load', 'Load phase: whole mock run (JSON answer; no target)', latency.loadMs, undefined)
      : '',
  ].join('\n');
  const breakdown =
    report.requests.notOk.length === 0
      ? '<p>Every request was answered 2xx.</p>'
      : `<table><thead><tr><th scope="col">Phase</th><th scope="col">Route</th><th scope="col">Answer</th><th scope="col">Count</th><th scope="col">Expected?</th></tr></thead><tbody>${report.requests.notOk
          .map(
            (row) =>
              `<tr class="${row.expected ? '' : 'warn'}"><td>${escapeHtml(row.phase)}</td><td><code>${escapeHtml(row.route)}</code></td><td>${escapeHtml(row.answer)}</td><td>${row.count}</td><td>${row.expected ? 'yes (a probe)' : 'no'}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const counts = (['pass', 'warn', 'fail', 'skip'] as const)
    .map(
      (status) =>
        `${report.checks.filter((item) => item.status === status).length} ${STATUS_WORD[status].toLowerCase()}`,
    )
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Agentry sign-off: ${escapeHtml(report.url)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Agentry deployment sign-off</h1>
<p class="meta">${escapeHtml(report.url)} · ${escapeHtml(report.startedAt)} → ${escapeHtml(report.finishedAt)}</p>
<p><span class="verdict ${report.status}" role="status"><span class="badge ${report.status}" aria-hidden="true">${BADGE[report.status]}</span> ${report.status === 'pass' ? 'Ready' : report.status === 'warn' ? 'Ready with warnings' : 'Not ready'}</span> ${counts}</p>
</header>
<main>
<section aria-labelledby="checklist-heading">
<h2 id="checklist-heading">Checklist</h2>
<table id="checklist"><thead><tr><th scope="col">Status</th><th scope="col">Item</th><th scope="col">Measured</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>
<section aria-labelledby="latency-heading">
<h2 id="latency-heading">Latency</h2>
${charts}
</section>
<section aria-labelledby="errors-heading">
<h2 id="errors-heading">Error breakdown</h2>
<p>${report.requests.total} requests. Answers that were not 2xx, by phase; the isolation and error-handling probes expect theirs.</p>
${breakdown}
</section>
<section aria-labelledby="signoff-heading">
<h2 id="signoff-heading">Sign-off</h2>
<div class="signature"><div>Name</div><div>Date</div></div>
</section>
</main>
<footer>Written by <code>agentry verify</code>; report format ${report.version}. Credentials are never written here.</footer>
</body>
</html>
`;
}
