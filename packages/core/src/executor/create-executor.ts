import type { AnyAgent } from '../agent';
import { AgentryError } from '../errors';
import { assertTenant, type TenantContext } from '../tenant';
import { describeAgent } from './describe-agent';
import { cancelExecution, executionEvents, readRecord } from './execution-events';
import { createExecutorContext, type ExecutorContext, refusalError } from './executor-context';
import { type HealthOptions, health } from './health';
import { createInterruptedSweeper } from './interrupted';
import { liveStatus, liveSwitch } from './live-switch';
import { logRejection, type PreparedRun, prepare } from './prepare';
import { type Emit, run } from './run';
import type { RunAbort } from './run-abort';
import { streamBridge } from './stream-bridge';
import type {
  AgentService,
  ExecuteOptions,
  ExecutionEvent,
  ExecutionEventsOptions,
  ExecutionResult,
  Executor,
  ExecutorOptions,
  RunOptions,
  TenantExecutor,
} from './types';

type AnyExecuteOptions = ExecuteOptions<readonly AnyAgent[]>;

/** Logs a refusal and answers it, redacted and normalized. */
function refuse(context: ExecutorContext, runOptions: AnyExecuteOptions, error: unknown): AgentryError {
  const refusal = refusalError(context, error);
  logRejection(context, refusal, runOptions);
  return refusal;
}

/**
 * Prepares and runs a request to its record, then gives its lease back. A refusal throws (or
 * rejects). Synchronous while every step answers at once: a mock run in one process makes no
 * promise until `execute()` wraps its record in one.
 */
function prepareAndRun(
  context: ExecutorContext,
  runOptions: AnyExecuteOptions,
  emit: Emit | undefined,
  controller: RunAbort | undefined,
): ExecutionResult | Promise<ExecutionResult> {
  let preparing: PreparedRun | Promise<PreparedRun>;
  try {
    preparing = prepare(context, runOptions, controller);
  } catch (error) {
    throw refuse(context, runOptions, error);
  }
  if (preparing instanceof Promise) {
    return preparing.then(
      (prepared) => runThenEnd(context, prepared, emit),
      (error: unknown) => {
        throw refuse(context, runOptions, error);
      },
    );
  }
  return runThenEnd(context, preparing, emit);
}

/** Runs a prepared request; whatever happens, its lease is given back (with the record when there is one). */
function runThenEnd(
  context: ExecutorContext,
  prepared: PreparedRun,
  emit: Emit | undefined,
): ExecutionResult | Promise<ExecutionResult> {
  let running: ExecutionResult | Promise<ExecutionResult>;
  try {
    running = run(context, prepared, emit);
  } catch (error) {
    return endLease(prepared, undefined, error);
  }
  if (running instanceof Promise)
    return running.then(
      (result) => endLease(prepared, result, undefined),
      (error: unknown) => endLease(prepared, undefined, error),
    );
  return endLease(prepared, running, undefined);
}

/** Gives the lease back, then answers the result (or rethrows the run's error), as a `finally` would. */
function endLease(
  prepared: PreparedRun,
  result: ExecutionResult | undefined,
  error: unknown,
): ExecutionResult | Promise<ExecutionResult> {
  // The in-process coordinator releases at once: nothing to wait for.
  const ending = prepared.lease.end(result);
  if (ending !== undefined) return ending.then(() => settled(result, error));
  return settled(result, error);
}

function settled(result: ExecutionResult | undefined, error: unknown): ExecutionResult {
  if (result === undefined) throw error;
  return result;
}

function execute(context: ExecutorContext, runOptions: AnyExecuteOptions): Promise<ExecutionResult> {
  try {
    return Promise.resolve(prepareAndRun(context, runOptions, undefined, undefined));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The bridge itself, not a generator delegating to it: each event costs fewer promise ticks. */
function stream(context: ExecutorContext, runOptions: AnyExecuteOptions): AsyncIterableIterator<ExecutionEvent> {
  // A refusal rejects the first next(), as before any event.
  return streamBridge((emit, controller) => prepareAndRun(context, runOptions, emit, controller));
}

async function listAgents(context: ExecutorContext, tenant: TenantContext) {
  assertTenant(tenant);
  const agents = await context.catalog.list(tenant);
  const live = liveSwitch(context, tenant);
  return agents.map((agent) => {
    try {
      return describeAgent(agent, liveStatus(context, tenant, agent, live), context.policy.maxInputBytes);
    } catch (thrown) {
      throw context.report.error('describeAgent', thrown, `The schemas of agent "${agent.id}" cannot be described`, {
        tenant_id: tenant.tenantId,
        agent_id: agent.id,
      });
    }
  });
}

async function getAgent(context: ExecutorContext, agentId: string, tenant: TenantContext): Promise<AnyAgent> {
  assertTenant(tenant);
  try {
    return await context.catalog.resolve(agentId, tenant);
  } catch (thrown) {
    throw context.report.error('resolveAgent', thrown, "The host's resolveAgent failed", {
      tenant_id: tenant.tenantId,
    });
  }
}

async function listExecutions(
  context: ExecutorContext,
  tenant: TenantContext,
  listOptions?: Parameters<Executor['listExecutions']>[1],
) {
  assertTenant(tenant);
  await context.sweeper.sweep(false);
  try {
    const page = await context.store.list(tenant.tenantId, listOptions);
    // The store is trusted to filter, and checked anyway.
    const items = page.items.filter((record) => record?.tenantId === tenant.tenantId);
    return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
  } catch (thrown) {
    throw context.report.error('store.list', thrown, 'The execution store failed to list the history', {
      tenant_id: tenant.tenantId,
    });
  }
}

async function getExecution(
  context: ExecutorContext,
  tenant: TenantContext,
  executionId: string,
): Promise<ExecutionResult> {
  assertTenant(tenant);
  let record: ExecutionResult | undefined;
  try {
    record = typeof executionId === 'string' ? await context.store.get(tenant.tenantId, executionId) : undefined;
  } catch (thrown) {
    throw context.report.error('store.get', thrown, 'The execution store failed to read an execution', {
      tenant_id: tenant.tenantId,
    });
  }
  if (!record || record.tenantId !== tenant.tenantId) {
    // A run whose instance died has no record until someone reclaims its lease: do it now.
    const recovered =
      typeof executionId === 'string' && (await context.sweeper.sweep(true)) > 0
        ? await readRecord(context, tenant, executionId)
        : undefined;
    if (recovered !== undefined) return recovered;
    throw new AgentryError('not_found', `No execution "${String(executionId)}" in this workspace.`);
  }
  return record;
}

// This file only wires the pipeline's steps; each lives in its own module (prepare.ts, run.ts,
// attempt-loop.ts, finish.ts, stream-bridge.ts, health.ts).

/**
 * Creates an executor: every mode runs one pipeline — resolve agent → tenant guard → validate
 * input → limits → provider → validate output → metrics → store → log.
 */
export function createExecutor<const TAgents extends readonly AnyAgent[] = readonly AnyAgent[]>(
  options: ExecutorOptions<TAgents> = {},
): Executor<TAgents> {
  const context = createExecutorContext(options as ExecutorOptions, createInterruptedSweeper);

  function forTenant(tenant: TenantContext): TenantExecutor {
    assertTenant(tenant);
    const bound = Object.freeze({ ...tenant });
    const service = {
      listAgents: () => listAgents(context, bound),
      execute: (runOptions: RunOptions) => execute(context, { ...runOptions, tenant: bound }),
      stream: (runOptions: RunOptions) => stream(context, { ...runOptions, tenant: bound }),
      listExecutions: (listOptions?: Parameters<AgentService['listExecutions']>[0]) =>
        listExecutions(context, bound, listOptions),
      getExecution: (executionId: string) => getExecution(context, bound, executionId),
      cancel: (executionId: string) => cancelExecution(context, bound, executionId),
      events: (executionId: string, eventsOptions?: ExecutionEventsOptions) =>
        executionEvents(context, bound, executionId, eventsOptions),
      health: (healthOptions?: { signal?: AbortSignal }) => health(context, { ...healthOptions, tenant: bound }),
    };
    return Object.freeze({ tenant: bound, ...service }) as unknown as TenantExecutor;
  }

  const executor = {
    execute: (runOptions: AnyExecuteOptions) => execute(context, runOptions),
    stream: (runOptions: AnyExecuteOptions) => stream(context, runOptions),
    listAgents: (tenant: TenantContext) => listAgents(context, tenant),
    getAgent: (agentId: string, tenant: TenantContext) => getAgent(context, agentId, tenant),
    listExecutions: (tenant: TenantContext, listOptions?: Parameters<Executor['listExecutions']>[1]) =>
      listExecutions(context, tenant, listOptions),
    getExecution: (tenant: TenantContext, executionId: string) => getExecution(context, tenant, executionId),
    cancel: (tenant: TenantContext, executionId: string) => cancelExecution(context, tenant, executionId),
    events: (tenant: TenantContext, executionId: string, eventsOptions?: ExecutionEventsOptions) =>
      executionEvents(context, tenant, executionId, eventsOptions),
    recoverInterrupted: () => context.sweeper.sweep(true),
    liveStatus: (tenant: TenantContext, agent?: AnyAgent) => {
      assertTenant(tenant);
      return liveStatus(context, tenant, agent);
    },
    health: (healthOptions?: HealthOptions) => health(context, healthOptions),
    forTenant,
    redactor: context.redactor,
  };
  return executor as unknown as Executor<TAgents>;
}
