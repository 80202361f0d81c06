import { routePath } from '../../protocol';
import { type CheckResult, check } from './checklist';
import type { RunnableAgent, TenantSession, VerifyContext } from './context';
import { formatMs, formatPercent, percentile } from './statistics';

/** Errors stay under this share of requests under load. */
export const ERROR_RATE_TARGET = 0.01;

/** One tenant and the agents it runs under load. */
export interface LoadPlan {
  tenant: TenantSession;
  runnable: readonly RunnableAgent[];
}

/** What the load phase measured. */
export interface LoadMeasurement {
  total: number;
  errors: number;
  /** Answered 429 (`limit_exceeded` / `rate_limited`): the tenant's limit at work, counted apart. */
  throttled: number;
  /** Error kind → count, e.g. `HTTP 502 provider_error`, `timeout`, `run failed: output_invalid`. */
  breakdown: Record<string, number>;
  latenciesMs: number[];
  elapsedMs: number;
}

/**
 * The bounded load phase: `concurrency` workers send mock runs (each agent's example, both
 * tenants in turn) to the given URL only, until `durationMs` has passed; requests in flight
 * then finish (each bounded by `--timeout`). Nothing is started after the deadline.
 */
export async function runLoad(context: VerifyContext, plans: readonly LoadPlan[]): Promise<LoadMeasurement> {
  const load = context.options.load;
  const measurement: LoadMeasurement = {
    total: 0,
    errors: 0,
    throttled: 0,
    breakdown: {},
    latenciesMs: [],
    elapsedMs: 0,
  };
  // Each tenant runs only the agents it can run: a 404 for another tenant's agent is not an error.
  const jobs = plans.flatMap((plan) => plan.runnable.map((target) => ({ tenant: plan.tenant, target })));
  if (load === undefined || jobs.length === 0) return measurement;
  const started = context.now();
  const deadline = started + load.durationMs;
  const fail = (kind: string) => {
    measurement.errors += 1;
    measurement.breakdown[kind] = (measurement.breakdown[kind] ?? 0) + 1;
  };
  const worker = async (index: number) => {
    for (let turn = index; context.now() < deadline; turn += load.concurrency) {
      const { tenant, target } = jobs[turn % jobs.length] as (typeof jobs)[number];
      const sent = context.now();
      measurement.total += 1;
      try {
        const response = await context.recorder.send(routePath({ name: 'execute', agentId: target.agent.id }), {
          method: 'POST',
          phase: 'load',
          headers: { ...tenant.credential.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ input: target.input, mode: 'mock' }),
        });
        measurement.latenciesMs.push(context.now() - sent);
        const body = response.json as { status?: unknown; code?: unknown; error?: { code?: unknown } } | undefined;
        if (response.status === 429) {
          measurement.throttled += 1;
          measurement.breakdown[`throttled: 429 ${String(body?.code ?? '')}`.trim()] =
            (measurement.breakdown[`throttled: 429 ${String(body?.code ?? '')}`.trim()] ?? 0) + 1;
        } else if (response.status !== 200) {
          fail(`HTTP ${response.status}${typeof body?.code === 'string' ? ` ${body.code}` : ''}`);
        } else if (body?.status !== 'succeeded') {
          fail(
            `run ${String(body?.status ?? 'without a record')}${typeof body?.error?.code === 'string' ? `: ${body.error.code}` : ''}`,
          );
        }
      } catch (error) {
        fail((error as { name?: string }).name === 'TimeoutError' ? 'timeout' : 'no answer (network error)');
      }
      const elapsed = context.now() - started;
      context.progress.update(
        `load ${formatMs(Math.min(elapsed, load.durationMs))} / ${formatMs(load.durationMs)} · ${measurement.total} requests · ${measurement.errors} errors`,
      );
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, (_, index) => worker(index)));
  measurement.elapsedMs = context.now() - started;
  context.progress.done();
  return measurement;
}

/** The load item: error rate against 1 %, throttling apart. */
export function checkLoad(context: VerifyContext, measurement: LoadMeasurement): CheckResult {
  const title = 'Error rate under load';
  const load = context.options.load;
  if (load === undefined) return check('load', title, 'skip', 'not run: pass --load 20x30s (concurrency x duration)');
  if (measurement.total === 0)
    return check('load', title, 'fail', 'no request was sent (no agent can run in mock mode)');
  const rate = measurement.errors / measurement.total;
  const throttledRate = measurement.throttled / measurement.total;
  const details = [
    `${measurement.total} mock runs, ${load.concurrency} at once for ${formatMs(load.durationMs)} (${(measurement.total / (measurement.elapsedMs / 1000)).toFixed(1)} per second)`,
    `latency p50 ${formatMs(percentile(measurement.latenciesMs, 0.5))}, p95 ${formatMs(percentile(measurement.latenciesMs, 0.95))}`,
    ...Object.entries(measurement.breakdown)
      .sort((x, y) => y[1] - x[1])
      .map(([kind, count]) => `${kind}: ${count}`),
  ];
  if (measurement.throttled > 0) {
    details.push(
      `${measurement.throttled} answers were 429 (the per-tenant concurrency limit at work, not counted as errors): lower the --load concurrency to measure errors alone`,
    );
  }
  const status = rate >= ERROR_RATE_TARGET ? 'fail' : throttledRate >= ERROR_RATE_TARGET ? 'warn' : 'pass';
  return check(
    'load',
    title,
    status,
    `${formatPercent(rate)} errors (${measurement.errors} of ${measurement.total}; target < 1 %)${measurement.throttled > 0 ? `, ${measurement.throttled} throttled` : ''}`,
    details,
  );
}
