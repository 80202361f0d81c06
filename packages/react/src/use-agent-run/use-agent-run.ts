'use client';

import type { ExecutionMode, ValidationIssue } from '@agentry/core';
import {
  createRunStore,
  type RunEntry,
  type RunSnapshot,
  type RunStore,
  type StartRunOptions,
} from '@agentry/core/client';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { type AgentServiceSource, resolveAgentService } from './resolve-agent-service';

// Layout effects keep the store in step with props before the browser paints; the server has none.
const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** Options for {@link useAgentRun}: a `client` (server) or an `executor` (in the browser). */
export interface UseAgentRunOptions extends AgentServiceSource {
  /** The agent to run; `run()` may also name one. */
  agentId?: string;
  /** The mode `submit` asks for (the snapshot's `mode` falls back when the agent cannot run it). @default 'mock' */
  mode?: ExecutionMode;
  /** The first agent's input text, instead of its example or its schema's defaults. @default undefined */
  defaultInput?: string;
  /** How many runs the session history keeps. @default 20 */
  maxHistory?: number;
}

/** Options for one call of `run`: the store's {@link StartRunOptions}, with the hook's agent and input as defaults. */
export interface AgentRunOptions extends Partial<Pick<StartRunOptions, 'agentId' | 'mode' | 'seed' | 'validate'>> {}

/** What {@link useAgentRun} returns: the store's snapshot plus its actions. */
export interface UseAgentRunResult
  extends RunSnapshot,
    Pick<
      RunStore,
      'cancel' | 'reset' | 'select' | 'show' | 'submit' | 'setInput' | 'resetInput' | 'formatInput' | 'loadAgents'
    > {
  /** Runs the agent; resolves with the finished run, or `undefined` when the input was refused (see `validation`). */
  run: (input: unknown, options?: AgentRunOptions) => Promise<RunEntry | undefined>;
  /** Checks an input against the agent's schema without running (the validator loads on demand). */
  validate: (input: unknown, agentId?: string) => Promise<ValidationIssue[]>;
  /** The store behind the hook, for code outside React. */
  store: RunStore;
}

/**
 * The headless hook behind `<TestPanel>`: a thin `useSyncExternalStore` bridge over
 * `createRunStore` from `@agentry/core/client`. It returns the store's snapshot (status, output,
 * live metrics, the selected agent, the modes it can run in, the checked input, history) plus the
 * actions. Every option stays reactive: a new `client`, `executor`, `tenant`, `agentId` or `mode`
 * takes effect on the next render; a run in flight is not stopped by a new `client` or `executor`
 * (it finishes where it started), only by `cancel`, a new `agentId` or unmount. Create the client
 * once (module scope or `useMemo`): a new one on every render makes the hook re-check the agent
 * list on every render.
 *
 * @example
 * const { status, run, cancel, output, result, error } = useAgentRun({ client, agentId: 'summarize' });
 * <button onClick={() => run({ text: 'Hello' })}>Run</button>
 */
export function useAgentRun(options: UseAgentRunOptions): UseAgentRunResult {
  const { client, executor, tenant, agentId, mode = 'mock' } = options;
  const [store] = useState(() =>
    createRunStore({ maxHistory: options.maxHistory, agentId, mode, defaultInput: options.defaultInput }),
  );
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
  useIsomorphicLayoutEffect(() => store.selectAgent(agentId), [store, agentId]);
  useIsomorphicLayoutEffect(() => store.setMode(mode), [store, mode]);

  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const agentIdRef = useRef(agentId);
  agentIdRef.current = agentId;

  const run = useCallback(
    (input: unknown, runOptions: AgentRunOptions = {}) => {
      const id = runOptions.agentId ?? agentIdRef.current;
      if (id === undefined) {
        return Promise.reject(new TypeError('useAgentRun: no agentId. Pass agentId to the hook or to run().'));
      }
      const { mode: runMode, seed, validate } = runOptions;
      return store.run({ agentId: id, input, mode: runMode, seed, validate });
    },
    [store],
  );
  const validate = useCallback(
    (input: unknown, id?: string) => {
      const target = id ?? agentIdRef.current;
      return target === undefined ? Promise.resolve([]) : store.validate(target, input);
    },
    [store],
  );

  return {
    ...snapshot,
    run,
    cancel: store.cancel,
    reset: store.reset,
    select: store.select,
    show: store.show,
    submit: store.submit,
    setInput: store.setInput,
    resetInput: store.resetInput,
    formatInput: store.formatInput,
    loadAgents: store.loadAgents,
    validate,
    store,
  };
}
