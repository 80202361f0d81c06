// The remote's `GET /health` as this provider's health: down when it cannot be read, degraded
// when the remote's live mode is off and this side asks it for live runs.
import type { ExecutionMode } from '../../agent';
import { errorFromFailure, HEALTH_REPORT, JSON_CONTENT_TYPE } from '../../protocol';
import type { ProviderHealth } from '../types';

interface RemoteHealthOptions {
  url: string;
  provider: string;
  remoteMode: ExecutionMode;
  fetch: typeof fetch;
  /** The body as JSON (bounded by `maxResponseBytes`), or `undefined` when it is not JSON. */
  readJson(response: Response): Promise<unknown>;
}

/** Asks the remote how it is, timing the answer. Never throws: an unreachable remote is `down`. */
export async function remoteHealth(options: RemoteHealthOptions, signal: AbortSignal): Promise<ProviderHealth> {
  const { url, provider, remoteMode } = options;
  const started = performance.now();
  try {
    const response = await options.fetch(url, { headers: { accept: JSON_CONTENT_TYPE }, signal });
    const report = await options.readJson(response).catch(() => undefined);
    const latencyMs = Math.round(performance.now() - started);
    if (!HEALTH_REPORT.is(report)) {
      return {
        status: 'down',
        configured: true,
        latencyMs,
        message: `The remote answered ${response.status} without a health report.`,
      };
    }
    if (remoteMode === 'live' && report.live?.enabled === false) {
      return {
        status: 'degraded',
        configured: true,
        latencyMs,
        message: `The remote's live mode is off${report.live.reason ? `: ${report.live.reason}` : '.'}`,
      };
    }
    const result: ProviderHealth = { status: report.status, configured: true, latencyMs };
    if (report.status !== 'ok') result.message = `The remote reports "${report.status}".`;
    return result;
  } catch (error) {
    return {
      status: 'down',
      configured: true,
      latencyMs: Math.round(performance.now() - started),
      message: errorFromFailure(error, { url, provider, networkCode: 'provider_error' }).message,
    };
  }
}
