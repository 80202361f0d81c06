import { STATUS_SYMBOL } from './checklist';
import type { VerifyReport } from './report';

/** The checklist for a terminal: one line per item with its figure, then the reasons of what is not ✅. */
export function renderText(report: VerifyReport, options: { verbose?: boolean } = {}): string {
  const lines = [`Agentry deployment checklist for ${report.url}`, ''];
  for (const item of report.checks) {
    lines.push(`${STATUS_SYMBOL[item.status]} ${item.title} — ${item.figure}`);
    const shown = options.verbose || item.status === 'fail' || item.status === 'warn' ? item.details : [];
    for (const detail of shown.slice(0, 12)) lines.push(`     ${detail}`);
    if (shown.length > 12) lines.push(`     … ${shown.length - 12} more (see --json or --report)`);
  }
  const count = (status: string) => report.checks.filter((item) => item.status === status).length;
  lines.push(
    '',
    `${count('pass')} ✅  ${count('warn')} ⚠️  ${count('fail')} ❌  ${count('skip')} ➖ not run · ${report.requests.total} requests`,
    report.status === 'fail'
      ? 'Not ready: fix the ❌ items above.'
      : report.status === 'warn'
        ? 'Ready with warnings: read the ⚠️ items above.'
        : 'Ready: every item that ran passed.',
    '',
  );
  return lines.join('\n');
}
