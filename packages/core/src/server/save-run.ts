// `POST /executions/:id/tape`: a completed live run saved as a tape or a mock, by a user the host
// allows (`saveRuns.canSave`), through the host's store. The request names only the run and
// `as`; the tenant is the resolved one, the place is the store's.
import { AgentryError } from '../errors';
import type { ExecutionResult } from '../executor/types';
import { type AgentSummary, parseSaveRunBody, type SaveRunResult } from '../protocol';
import type { TenantContext } from '../tenant';

/** What `createHandler({ saveRuns })` takes: `createRunSaver(…)` of `@agentry/core/tapes` fits. */
export interface HandlerRunSaver {
  /** Whether this user may save runs of this agent (the host decides; answer `false` by default). */
  canSave(context: { tenant: TenantContext; agentId: string; request: Request }): boolean | Promise<boolean>;
  /** Writes a checked run (this tenant's, succeeded, live) and answers where it went. */
  save(context: {
    tenant: TenantContext;
    run: ExecutionResult;
    as: 'tape' | 'mock';
  }): Promise<{ where: string; entries?: number }>;
}

async function allowed(
  saver: HandlerRunSaver,
  context: { tenant: TenantContext; agentId: string; request: Request },
): Promise<boolean> {
  try {
    return (await saver.canSave(context)) === true;
  } catch {
    // A permission check that throws is a no.
    return false;
  }
}

/** `GET /agents` with `canSaveRuns: true` on the agents this user may save runs of. */
export async function withSavePermission(
  saver: HandlerRunSaver | undefined,
  agents: AgentSummary[],
  tenant: TenantContext,
  request: Request,
): Promise<AgentSummary[]> {
  if (saver === undefined) return agents;
  return Promise.all(
    agents.map(async (agent) =>
      (await allowed(saver, { tenant, agentId: agent.id, request })) ? { ...agent, canSaveRuns: true } : agent,
    ),
  );
}

/** Handles `POST /executions/:id/tape`; answers the 201 body, or throws a 4xx `AgentryError`. */
export async function saveRun(
  saver: HandlerRunSaver | undefined,
  getExecution: (tenant: TenantContext, executionId: string) => Promise<ExecutionResult>,
  context: { tenant: TenantContext; executionId: string; request: Request; body: unknown },
): Promise<SaveRunResult> {
  const { tenant, executionId, request } = context;
  if (saver === undefined) {
    throw new AgentryError(
      'not_found',
      'Saving runs as tapes or mocks is not enabled on this server (createHandler({ saveRuns })).',
    );
  }
  const { as } = parseSaveRunBody(context.body);
  // Unknown and other tenants' ids are the same 404 (the executor's tenant guard).
  const run = await getExecution(tenant, executionId);
  // The run is this tenant's (else the 404 above), so saying "not allowed" leaks nothing.
  if (!(await allowed(saver, { tenant, agentId: run.agentId, request }))) {
    throw new AgentryError(
      'forbidden',
      `Saving runs of agent "${run.agentId}" is not allowed for this user: the host's saveRuns.canSave said no. Ask an administrator for the permission.`,
      { userMessage: 'You are not allowed to save runs of this agent. Ask an administrator for access.' },
    );
  }
  if (run.mode !== 'live') {
    throw new AgentryError(
      'validation_failed',
      `Run ${executionId} ran in mock mode: only a live run can be saved as a ${as} (it would record the mock).`,
      { issues: [{ path: ['executionId'], message: 'Expected a live run.' }] },
    );
  }
  if (run.status !== 'succeeded') {
    throw new AgentryError(
      'validation_failed',
      `Run ${executionId} is ${run.status === undefined ? 'not finished' : run.status}: only a run that succeeded can be saved as a ${as}.`,
      { issues: [{ path: ['executionId'], message: 'Expected a completed run that succeeded.' }] },
    );
  }
  const saved = await saver.save({ tenant, run, as });
  const result: SaveRunResult = { executionId, agentId: run.agentId, saved: as, where: saved.where };
  if (saved.entries !== undefined) result.entries = saved.entries;
  return result;
}
