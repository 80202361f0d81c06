import type { ExecutionMode } from '../agent';
import { DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING } from '../validation/json-depth';
import type { BackoffOptions, LimitOptions, TimeoutOptions } from './types';

/** The limits with every default filled in and every value checked. */
export interface ResolvedPolicy {
  timeouts: Record<ExecutionMode, TimeoutOptions>;
  maxRetries: number;
  backoff: Required<BackoffOptions>;
  maxRetryAfterMs: number;
  maxInputBytes: number;
  maxDepth: number;
  concurrencyPerTenant: number;
  maxSteps: number;
  toolConcurrency: number;
  maxInvalidToolCalls: number;
}

export const DEFAULT_TIMEOUT_MS: Record<ExecutionMode, number> = { mock: 500, live: 30_000 };

function check(name: string, value: number | undefined, { min = 0, integer = false } = {}): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new TypeError(
      `createExecutor: limits.${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${String(value)}.`,
    );
  }
}

function resolveTimeouts(mode: ExecutionMode, value: number | TimeoutOptions | undefined): TimeoutOptions {
  if (value === undefined) return { totalMs: DEFAULT_TIMEOUT_MS[mode] };
  if (typeof value === 'number') {
    check(`timeoutMs.${mode}`, value, { min: 1 });
    return { totalMs: value };
  }
  for (const key of ['totalMs', 'firstOutputMs', 'idleMs', 'stepMs'] as const)
    check(`timeoutMs.${mode}.${key}`, value[key], { min: 1 });
  // Phase timeouts add to the whole-run deadline, never replace it: a run must always end.
  return { ...value, totalMs: value.totalMs ?? DEFAULT_TIMEOUT_MS[mode] };
}

/** Fills defaults and rejects impossible settings at configuration time, never silently. */
export function resolvePolicy(limits: LimitOptions = {}): ResolvedPolicy {
  const timeoutOption = limits.timeoutMs;
  const timeouts =
    typeof timeoutOption === 'number'
      ? { mock: resolveTimeouts('mock', timeoutOption), live: resolveTimeouts('live', timeoutOption) }
      : { mock: resolveTimeouts('mock', timeoutOption?.mock), live: resolveTimeouts('live', timeoutOption?.live) };
  check('maxRetries', limits.maxRetries, { integer: true });
  check('backoff.initialMs', limits.backoff?.initialMs);
  check('backoff.factor', limits.backoff?.factor, { min: 1 });
  check('backoff.maxMs', limits.backoff?.maxMs);
  check('maxRetryAfterMs', limits.maxRetryAfterMs);
  check('maxInputBytes', limits.maxInputBytes, { min: 2, integer: true });
  check('maxDepth', limits.maxDepth, { min: 1, integer: true });
  if (limits.maxDepth !== undefined && limits.maxDepth > MAX_DEPTH_CEILING) {
    throw new TypeError(
      `createExecutor: limits.maxDepth must be at most ${MAX_DEPTH_CEILING} (deeper values exhaust the call stack in zod and JSON.stringify), got ${limits.maxDepth}.`,
    );
  }
  check('concurrencyPerTenant', limits.concurrencyPerTenant, { min: 1, integer: true });
  check('maxSteps', limits.maxSteps, { min: 1, integer: true });
  check('toolConcurrency', limits.toolConcurrency, { min: 1, integer: true });
  check('maxInvalidToolCalls', limits.maxInvalidToolCalls, { integer: true });
  const jitter = limits.backoff?.jitter ?? 'full';
  if (jitter !== 'full' && jitter !== 'none') {
    throw new TypeError(`createExecutor: limits.backoff.jitter must be "full" or "none", got ${String(jitter)}.`);
  }
  return {
    timeouts,
    maxRetries: limits.maxRetries ?? 2,
    backoff: {
      initialMs: limits.backoff?.initialMs ?? 250,
      factor: limits.backoff?.factor ?? 2,
      maxMs: limits.backoff?.maxMs ?? 8000,
      jitter,
    },
    maxRetryAfterMs: limits.maxRetryAfterMs ?? 30_000,
    maxInputBytes: limits.maxInputBytes ?? 64_000,
    maxDepth: limits.maxDepth ?? DEFAULT_MAX_DEPTH,
    concurrencyPerTenant: limits.concurrencyPerTenant ?? 8,
    maxSteps: limits.maxSteps ?? 5,
    toolConcurrency: limits.toolConcurrency ?? 4,
    maxInvalidToolCalls: limits.maxInvalidToolCalls ?? 3,
  };
}

/** The delay before retry number `attempt` (1 = first retry): exponential, capped, with optional full jitter. */
export function backoffDelay(
  backoff: Required<BackoffOptions>,
  attempt: number,
  random: () => number = Math.random,
): number {
  const computed = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** (attempt - 1));
  return Math.round(backoff.jitter === 'full' ? computed * random() : computed);
}
