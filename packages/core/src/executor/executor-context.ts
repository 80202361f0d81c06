import type { AnyAgent } from '../agent';
import {
  type Budget,
  type Coordinator,
  checkBudget,
  createMemoryCoordinator,
  type LocalLeases,
  localEventLogs,
  localLeases,
  type OpenLocalEventLog,
} from '../coordinator';
import { AgentryError, cloneError, toAgentryError } from '../errors';
import { errorKind, logUnexpectedError } from '../internal/unexpected-error';
import { createRedactor, type Logger, type Redactor, redactingLogger, silentLogger } from '../logging';
import { isSecret } from '../logging/secret';
import { DEFAULT_PRICING, type PricingTable, type Usage } from '../metrics';
import { costAtPrice, findModelPrice, type ModelPrice } from '../metrics/pricing';
import type { ProviderAdapter } from '../providers';
import { mockProvider } from '../providers/mock';
import { createMemoryStore, type ExecutionStore, localSave } from '../store';
import type { TenantContext } from '../tenant';
import { type StopCondition, stopConditionsOf } from '../tools';
import { type AgentCatalog, createAgentCatalog } from './agent-catalog';
import { toolsProblem } from './agent-tools';
import { DeadlineQueue } from './deadlines';
import { LeaseRenewals } from './lease-renewals';
import { type ResolvedPolicy, resolvePolicy } from './policy';
import { checkProviderSpecification } from './provider-specification';
import type { ExecutionEvent, ExecutionResult, ExecutorOptions } from './types';
import { createUserCodeReporter, isTrustedError, isUserCodeFailure, type UserCodeReporter } from './user-code';

/** Sweeps expired leases into `interrupted` records (interrupted.ts); at most once per interval unless forced. */
export interface InterruptedSweeper {
  /** `force`: sweep now (a read missed); otherwise only when the last sweep is older than the interval. Answers how many runs it recorded. */
  sweep(force: boolean): Promise<number>;
  /** Whether `sweep(false)` would sweep now (its interval passed); lets the hot path skip the call and its promise. */
  due(): boolean;
}

/**
 * What every step of the pipeline shares: the checked configuration and the services built
 * from it. Built once by `createExecutor`; nothing in it changes per run.
 */
export interface ExecutorContext {
  options: ExecutorOptions;
  agents: ReadonlyMap<string, AnyAgent>;
  providers: Readonly<Record<string, ProviderAdapter>>;
  policy: ResolvedPolicy;
  /** The executor's `stopWhen`, as a list; for agents without their own. */
  stopWhen: readonly StopCondition[] | undefined;
  redactor: Redactor;
  logger: Logger;
  store: ExecutionStore;
  pricing: PricingTable;
  report: UserCodeReporter;
  catalog: AgentCatalog;
  /** Leases, budgets, cancel requests and event logs, shared with the other instances. */
  coordinator: Coordinator;
  /** Records runs whose instance died (expired leases) as `interrupted`. */
  sweeper: InterruptedSweeper;
  /** Renews the running runs' leases (one timer for all). */
  renewals: LeaseRenewals;
  /** The runs' total deadlines, one queue (and one timer) per duration. */
  deadlines(ms: number): DeadlineQueue;
  /** The in-process coordinator's synchronous event logs (the fast path); undefined for any other coordinator. */
  localEventLogs: OpenLocalEventLog | undefined;
  /** The in-process coordinator's synchronous `acquire` and `release` (the fast path); undefined for any other. */
  localLeases: LocalLeases | undefined;
  /** The in-memory store's synchronous `save` (the fast path); undefined for any other store. */
  localSave: ((record: ExecutionResult) => void) | undefined;
  /** Why live mode is off, in end-user words (`live.reason`). */
  liveReason: string;
  /** Removes secrets from an error's message, issues and cause chain. */
  redactError(error: AgentryError): AgentryError;
  /** The host's `generateId`, or the built-in one when it throws or answers something that is not an id. */
  nextExecutionId(tenant: TenantContext): string;
  /** The cost from the pricing table; a table whose entries throw when read gives an unknown cost (logged). */
  priceOf(model: string, usage: Usage, tenant: TenantContext, executionId: string): number | null;
  /** Sends an event to the host's `onEvent`; a hook that throws is logged once per execution. */
  emitTelemetry(event: ExecutionEvent, tenant: TenantContext): void;
}

// Execution ids: 128 random bits (Web Crypto's CSPRNG) as 32 hex digits, drawn from a pool
// refilled 256 ids at a time. As unguessable as a UUID v4 (which has 122 random bits) and about
// half its cost here: no UUID to format and then cut back into its digits.
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const ID_POOL = new Uint8Array(4096);
let idOffset = ID_POOL.length;

// Where Node's Buffer exists, the id is written as ASCII into one buffer and read out as one flat
// string: a string built by `+=` is a chain of 17 pieces that the first Map lookup by id
// (the event log, the lease) must copy into one anyway.
const ID_BUFFER = typeof globalThis.Buffer === 'function' ? globalThis.Buffer.alloc(36) : undefined;
const HEX_CODES = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
if (ID_BUFFER !== undefined) ID_BUFFER.write('exe_', 'latin1');

export function newExecutionId(): string {
  if (idOffset + 16 > ID_POOL.length) {
    globalThis.crypto.getRandomValues(ID_POOL);
    idOffset = 0;
  }
  let id: string;
  if (ID_BUFFER !== undefined) {
    for (let index = 0; index < 16; index += 1) {
      const byte = ID_POOL[idOffset + index] as number;
      ID_BUFFER[4 + 2 * index] = HEX_CODES[byte >> 4] as number;
      ID_BUFFER[5 + 2 * index] = HEX_CODES[byte & 15] as number;
    }
    id = ID_BUFFER.toString('latin1', 0, 36);
  } else {
    id = 'exe_';
    for (let index = idOffset; index < idOffset + 16; index += 1) id += HEX_BYTES[ID_POOL[index] as number];
  }
  idOffset += 16;
  return id;
}

const COORDINATOR_METHODS = [
  'acquire',
  'renew',
  'release',
  'reclaimExpired',
  'requestCancel',
  'onCancelRequested',
  'appendEvents',
  'readEvents',
  'onEventsAppended',
] as const;

/** A coordinator that lacks a method, or fixed budgets that are malformed, are configuration mistakes. */
function checkCoordination(options: ExecutorOptions): void {
  const { coordinator } = options;
  if (coordinator !== undefined) {
    const missing = COORDINATOR_METHODS.filter(
      (name) => typeof (coordinator as unknown as Record<string, unknown>)?.[name] !== 'function',
    );
    if (missing.length > 0) {
      throw new TypeError(
        `createExecutor: \`coordinator\` must implement Coordinator; missing ${missing.join(', ')}. Use createMemoryCoordinator() or @agentry/postgres.`,
      );
    }
    const ttl = coordinator.leaseTtlMs;
    if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) {
      throw new TypeError(`createExecutor: coordinator.leaseTtlMs must be a positive number, got ${String(ttl)}.`);
    }
  }
  const budgets = options.limits?.budgets;
  if (budgets === undefined || typeof budgets === 'function') return;
  if (!Array.isArray(budgets)) {
    throw new TypeError('createExecutor: limits.budgets must be an array of budgets or a function of the tenant.');
  }
  budgets.forEach((budget: Budget, index: number) => {
    checkBudget(budget, `createExecutor: limits.budgets[${index}]`);
  });
}

/** Checks the options (every mistake is a `TypeError` naming what to fix) and builds the context. */
export function createExecutorContext(
  options: ExecutorOptions,
  createSweeper: (context: () => ExecutorContext) => InterruptedSweeper,
): ExecutorContext {
  const agents = new Map<string, AnyAgent>();
  for (const agent of options.agents ?? []) {
    if (agent?.kind !== 'agentry.agent') {
      throw new TypeError('createExecutor: every entry of `agents` must come from defineAgent().');
    }
    if (agents.has(agent.id)) throw new TypeError(`createExecutor: two agents share the id "${agent.id}".`);
    agents.set(agent.id, agent);
  }
  const providers: Record<string, ProviderAdapter> = { mock: mockProvider(), ...options.providers };
  for (const [key, provider] of Object.entries(providers)) checkProviderSpecification(key, provider);
  for (const agent of agents.values()) {
    const live = agent.model ? providers[agent.model.provider] : undefined;
    const problem = live ? (live.checkAgent?.(agent) ?? toolsProblem(agent, live)) : undefined;
    if (problem) throw new TypeError(`createExecutor: ${problem}`);
  }
  const policy = resolvePolicy(options.limits);
  const stopWhen = stopConditionsOf(options.stopWhen, 'createExecutor: stopWhen');
  checkCoordination(options);
  const redactor = createRedactor(options.secrets ?? []);
  for (const provider of Object.values(providers)) {
    if (provider.secrets) redactor.addSecrets(provider.secrets.filter(isSecret));
  }
  // Redacting costs a deep copy per line: skip it when nothing is logged.
  const logger: Logger = options.logger ? redactingLogger(options.logger, redactor) : silentLogger;
  const pricing: PricingTable = options.pricing ? { ...DEFAULT_PRICING, ...options.pricing } : DEFAULT_PRICING;
  // A model's price, found once per model (a miss scans the table's prefixes: about 1 µs a run).
  // The price object itself is kept, so its fields are still read, and priced, on every run.
  const prices = new Map<string, ModelPrice | undefined>();
  const priceFor = (model: string): ModelPrice | undefined => {
    if (prices.has(model)) return prices.get(model);
    const price = findModelPrice(model, pricing);
    if (prices.size >= 256) prices.clear();
    prices.set(model, price);
    return price;
  };
  const generateId = options.generateId ?? newExecutionId;

  function redactError(error: AgentryError): AgentryError {
    const patch: Parameters<typeof cloneError>[1] = {
      message: redactor.redactString(error.message),
      userMessage: redactor.redactString(error.userMessage),
    };
    if (error.issues) patch.issues = redactor.redactValue(error.issues);
    if (error.cause !== undefined) patch.cause = redactor.redactValue(error.cause);
    if (error.requestId !== undefined) patch.requestId = redactor.redactString(error.requestId);
    return cloneError(error, patch);
  }

  const report = createUserCodeReporter({ logger, redactor, redactError });
  const catalog = createAgentCatalog({
    agents,
    resolveAgent: options.resolveAgent,
    listAgents: options.listAgents,
    logger,
    report,
  });

  // Executions whose onEvent hook already threw: logged once per execution, not once per chunk.
  const failedTelemetry = new Set<string>();
  const onEvent = options.onEvent;

  const coordinator = options.coordinator ?? createMemoryCoordinator();
  const store = options.store ?? createMemoryStore();
  const deadlineQueues = new Map<number, DeadlineQueue>();
  const context: ExecutorContext = {
    options,
    agents,
    providers,
    policy,
    stopWhen,
    redactor,
    logger,
    store,
    pricing,
    report,
    catalog,
    coordinator,
    sweeper: createSweeper(() => context),
    renewals: new LeaseRenewals(coordinator),
    deadlines(ms) {
      let queue = deadlineQueues.get(ms);
      if (queue === undefined) {
        queue = new DeadlineQueue(ms);
        deadlineQueues.set(ms, queue);
      }
      return queue;
    },
    localEventLogs: localEventLogs(coordinator),
    localLeases: localLeases(coordinator),
    localSave: localSave(store),
    liveReason: options.live?.reason ?? 'Live mode is disabled by the operator.',
    redactError,
    nextExecutionId(tenant) {
      try {
        const id: unknown = generateId();
        if (typeof id === 'string' && id !== '') return id;
        throw new TypeError(`generateId() must return a non-empty string, got ${typeof id}.`);
      } catch (error) {
        report.log('generateId', error, { tenant_id: tenant.tenantId });
        return newExecutionId();
      }
    },
    priceOf(model, usage, tenant, executionId) {
      try {
        return costAtPrice(priceFor(model), usage);
      } catch (error) {
        report.log('pricing', error, { tenant_id: tenant.tenantId, execution_id: executionId, model });
        return null;
      }
    },
    emitTelemetry(event, tenant) {
      if (!onEvent) return;
      try {
        onEvent(event, { tenant });
      } catch (error) {
        // A telemetry hook must never break an execution, nor fail silently.
        if (!failedTelemetry.has(event.executionId)) {
          failedTelemetry.add(event.executionId);
          report.log('onEvent', error, {
            tenant_id: tenant.tenantId,
            execution_id: event.executionId,
            event_type: event.type,
          });
        }
      } finally {
        if (event.type === 'execution-finish' || event.type === 'execution-error')
          failedTelemetry.delete(event.executionId);
      }
    },
  };
  return context;
}

/**
 * Normalizes a refusal (the rule is in user-code.ts). Deliberate errors pass through; anything
 * else (a resolver or store that threw, an `internal` error) becomes a generic `internal` error:
 * its raw message may hold a connection string or a stack detail, so it stays in the
 * (redacted) cause, for logs only.
 */
export function refusalError(context: ExecutorContext, error: unknown): AgentryError {
  if (isTrustedError(error) || isUserCodeFailure(error)) return context.redactError(error);
  return context.redactError(
    new AgentryError('internal', 'An unexpected error occurred before the execution could start.', { cause: error }),
  );
}

/**
 * A provider threw something that is not an Agentry error (a bug, or an SDK error it did not
 * map). Its raw message may name internal hosts or echo a request, so the record says only
 * what kind of error it was; the message goes to the (redacted) log for operators.
 */
export function unexpectedProviderError(context: ExecutorContext, providerId: string, thrown: unknown): AgentryError {
  const normalized = toAgentryError(thrown, 'provider_error');
  if (normalized.code === 'cancelled') return normalized;
  logUnexpectedError(context.logger, context.redactor, 'agentry.provider.unexpected_error', thrown, {
    provider: providerId,
  });
  return new AgentryError(
    'provider_error',
    `The "${providerId}" provider failed with an unexpected ${errorKind(thrown)}; the details are in the server log.`,
    { cause: thrown, provider: providerId },
  );
}
