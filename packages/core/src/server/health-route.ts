// `GET /health`: the full report for a recognised tenant, statuses and timings for anyone else
// (`healthAccess: 'public'`), 503 when the overall status is `down`.
import type { HealthReport } from '../protocol';
import type { HandlerExecutor, HandlerOptions } from './handler-options';
import type { Responder } from './responses';
import type { TenantResolution } from './tenant-resolution';

/** The health report for an anonymous caller: statuses and timings, not the providers' messages. */
export function anonymousHealth(report: HealthReport): HealthReport {
  const providers: HealthReport['providers'] = {};
  for (const [id, health] of Object.entries(report.providers)) {
    providers[id] = {
      status: health.status,
      configured: health.configured,
      ...(health.latencyMs === undefined ? {} : { latencyMs: health.latencyMs }),
      ...(health.live === undefined ? {} : { live: health.live }),
    };
  }
  return { ...report, providers };
}

interface HealthRouteDependencies {
  executor: Pick<HandlerExecutor, 'health'>;
  healthAccess: NonNullable<HandlerOptions['healthAccess']>;
  tenants: TenantResolution;
  responder: Pick<Responder, 'json'>;
}

/** The handler of `GET /health`. */
export function createHealthRoute(dependencies: HealthRouteDependencies) {
  const { executor, healthAccess, tenants, responder } = dependencies;
  return async function health(request: Request, extra: Record<string, string>): Promise<Response> {
    // `required` answers 401 for anonymous callers; `optional` lets them through with less.
    const tenant = healthAccess === 'tenant' ? await tenants.required(request) : await tenants.optional(request);
    const report = await executor.health(tenant ? { signal: request.signal, tenant } : { signal: request.signal });
    return responder.json(
      tenant !== undefined ? report : anonymousHealth(report),
      report.status === 'down' ? 503 : 200,
      extra,
    );
  };
}
