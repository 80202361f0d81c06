'use client';

import type {
  AgentryError,
  AgentService,
  AgentSummary,
  ExecutionEvent,
  ExecutionMode,
  ExecutionResult,
  Executor,
  TenantContext,
  TenantExecutor,
  ValidationIssue,
} from '@agentry/core';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import {
  type AgentsStatus,
  createRunStore,
  type RunEntry,
  type RunStatus,
  type RunStore,
} from '../run-store/create-run-store';

/** The tenant a browser-side executor runs as when none is given. */
export const LOCAL_TENANT: TenantContext = Object.freeze({ tenantId: 'local', userId: 'local' });

/** Options for {@link useAgentRun}: a `client` (server) or an `executor` (in the browser). */
export interface UseAgentRunOptions {
  /** Anything implementing `AgentService`, e.g. `createClient({ baseUrl })` from `@agentry/core/client`. */
  client?: AgentService;
  /** An executor (bound to `tenant`) or a tenant-bound executor, to run with no server. */
  executor?: Executor | TenantExecutor;
  /** The agent to run; `run()` may also name one. */
  agentId?: string;
  /** The tenant an `executor` runs as. @default { tenantId: 'local', userId: 'local' } */
  tenant?: TenantContext;
  /** How many runs the session history keeps. @default 20 */
  maxHistory?: number;
}

/** Options for one call of `run`. */
export interface AgentRunOptions {
  /** @default 'mock' */
  mode?: ExecutionMode;
  /** Overrides the hook's `agentId` for this run. */
  agentId?: string;
  /** Seed for mock mode. */
  seed?: number;
  /** Check the input against the agent's JSON Schema before sending. @default true */
  validate?: boolean;
}

/** What {@link useAgentRun} returns. */
export interface UseAgentRunResult {
  status: RunStatus;
  /** Runs the agent; resolves with the finished run, or `undefined` when the input was refused (see `validation`). */
  run: (input: unknown, options?: AgentRunOptions) => Promise<RunEntry | undefined>;
  /** Stops the active run; its partial output is kept. */
  cancel: () => void;
  /** Back to `idle`: no run shown, no validation; history is kept. */
  reset: () => void;
  /** The final record of the shown run. */
  result: ExecutionResult | undefined;
  /** The shown run's events (consecutive deltas merged). */
  events: readonly ExecutionEvent[];
  /** The text streamed so far. */
  output: string;
  error: AgentryError | undefined;
  /** Input problems: from the pre-send check or the service's `issues`. */
  validation: readonly ValidationIssue[];
  /** The agent named by `agentId`, once the list has loaded. */
  agent: AgentSummary | undefined;
  /** Every agent the service offers. */
  agents: readonly AgentSummary[];
  agentsStatus: AgentsStatus;
  agentsError: AgentryError | undefined;
  /** The shown run (latest, or picked from history). */
  current: RunEntry | undefined;
  /** This session's runs, newest first. */
  history: readonly RunEntry[];
  /** Shows a run from history. */
  select: (runId: string) => void;
  /** Checks an input against the agent's schema without running. */
  validate: (input: unknown, agentId?: string) => ValidationIssue[];
  /** The store behind the hook, for code outside React. */
  store: RunStore;
}

function isExecutor(value: Executor | TenantExecutor): value is Executor {
  return typeof (value as Partial<Executor>).forTenant === 'function';
}

/** Picks the service to talk to: the client, or the executor bound to the tenant. */
export function resolveAgentService(
  options: Pick<UseAgentRunOptions, 'client' | 'executor' | 'tenant'>,
): AgentService | undefined {
  if (options.client) return options.client;
  if (!options.executor) return undefined;
  return isExecutor(options.executor) ? options.executor.forTenant(options.tenant ?? LOCAL_TENANT) : options.executor;
}

/**
 * The headless hook behind `<TestPanel>`: runs an agent through a client or an executor
 * and streams its events. Every option stays reactive: a new `client`, `executor`,
 * `tenant` or `agentId` takes effect on the next render; a run in flight is not stopped by a
 * new `client` or `executor` (it finishes where it started), only by `cancel`, a new `agentId`
 * or unmount. Create the client once (module scope or `useMemo`): a new one on every render
 * makes the hook re-check the agent list on every render.
 *
 * @example
 * const { status, run, cancel, output, result, error } = useAgentRun({ client, agentId: 'summarize' });
 * <button onClick={() => run({ text: 'Hello' })}>Run</button>
 */
export function useAgentRun(options: UseAgentRunOptions): UseAgentRunResult {
  const [store] = useState(() => createRunStore({ maxHistory: options.maxHistory }));
  const { client, executor, tenant, agentId } = options;
  const tenantKey = tenant
    ? `${tenant.tenantId}\u0000${tenant.userId ?? ''}\u0000${(tenant.roles ?? []).join(',')}`
    : '';
  const service = useMemo(() => resolveAgentService({ client, executor, tenant }), [client, executor, tenantKey]);

  // A new client or executor (one created inline re-renders as a new object) is used from the
  // next run on: the run in flight finishes on the service it started on. Only unmount stops it.
  const disconnect = useRef<(() => void) | undefined>(undefined);
  useEffect(() => {
    if (service) disconnect.current = store.connect(service);
  }, [store, service]);
  useEffect(() => () => disconnect.current?.(), [store]);

  // A new agent shows a fresh run area; the history is kept.
  const previousAgent = useRef(agentId);
  useEffect(() => {
    if (previousAgent.current !== agentId) {
      previousAgent.current = agentId;
      store.reset();
    }
  }, [store, agentId]);

  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const agentIdRef = useRef(agentId);
  agentIdRef.current = agentId;

  const run = useCallback(
    (input: unknown, runOptions: AgentRunOptions = {}) => {
      const id = runOptions.agentId ?? agentIdRef.current;
      if (id === undefined) {
        return Promise.reject(new TypeError('useAgentRun: no agentId. Pass agentId to the hook or to run().'));
      }
      return store.run({
        agentId: id,
        input,
        mode: runOptions.mode,
        seed: runOptions.seed,
        validate: runOptions.validate,
      });
    },
    [store],
  );
  const validate = useCallback(
    (input: unknown, id?: string) => {
      const target = id ?? agentIdRef.current;
      return target === undefined ? [] : store.validate(target, input);
    },
    [store],
  );

  const agent = agentId === undefined ? undefined : snapshot.agents.find((item) => item.id === agentId);
  return {
    status: snapshot.status,
    run,
    cancel: store.cancel,
    reset: store.reset,
    result: snapshot.result,
    events: snapshot.events,
    output: snapshot.output,
    error: snapshot.error,
    validation: snapshot.validation,
    agent,
    agents: snapshot.agents,
    agentsStatus: snapshot.agentsStatus,
    agentsError: snapshot.agentsError,
    current: snapshot.current,
    history: snapshot.history,
    select: store.select,
    validate,
    store,
  };
}
