import type { HealthReport } from '../../protocol';
import { type CheckResult, type CheckStatus, check, worstStatus } from './checklist';

/** Health: every provider's status, and live mode on or off with the reason. */
export function checkHealth(report: HealthReport): CheckResult {
  const statuses: CheckStatus[] = [report.status === 'down' ? 'fail' : report.status === 'degraded' ? 'warn' : 'pass'];
  const details: string[] = [];
  const entries = Object.entries(report.providers);
  for (const [id, health] of entries) {
    const status: CheckStatus = health.status === 'ok' ? 'pass' : health.status === 'down' ? 'fail' : 'warn';
    statuses.push(status);
    const latency = health.latencyMs === undefined ? '' : ` in ${Math.round(health.latencyMs)} ms`;
    const live =
      health.live === undefined
        ? ''
        : health.live.available
          ? ' · live available'
          : ` · live unavailable${health.live.reason ? `: ${health.live.reason}` : ''}`;
    const message = health.message ? ` — ${health.message}` : '';
    details.push(`${id}: ${health.status}${latency}${message}${live}`);
  }
  const live =
    report.live.enabled === true
      ? 'on'
      : report.live.enabled === false
        ? `off${report.live.reason ? ` (${report.live.reason})` : ''}`
        : 'decided per tenant';
  details.push(`live mode (the kill switch): ${live}`);
  const ok = entries.filter(([, health]) => health.status === 'ok').length;
  return check(
    'health',
    'Health: every provider, live on/off',
    worstStatus(statuses),
    `${report.status}: ${ok} of ${entries.length} provider${entries.length === 1 ? '' : 's'} ok; live ${live}`,
    details,
  );
}
