import { AgentryError } from '../errors';
import type { Budget, BudgetWindow } from './coordinator';

/** The window a budget counts in at a moment: `[start, end)` in ms since the epoch, UTC. */
export interface BudgetWindowBounds {
  start: number;
  end: number;
}

/** The UTC day or month that contains `at` (ms since the epoch). */
export function budgetWindowBounds(window: BudgetWindow, at: number): BudgetWindowBounds {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (window === 'month') return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
  const day = date.getUTCDate();
  return { start: Date.UTC(year, month, day), end: Date.UTC(year, month, day + 1) };
}

/** A tenant's spend in one budget's window, as a coordinator counts it. */
export interface WindowSpend {
  tokens: number;
  costUsd: number;
}

/** Which limit of a budget `spent` has reached, or `undefined` while the budget still has room. */
export function spentLimit(budget: Budget, spent: WindowSpend): 'tokens' | 'cost' | undefined {
  if (budget.maxTokens !== undefined && spent.tokens >= budget.maxTokens) return 'tokens';
  if (budget.maxCostUsd !== undefined && spent.costUsd >= budget.maxCostUsd) return 'cost';
  return undefined;
}

/**
 * The `budget_exceeded` error every coordinator throws for a spent budget: HTTP 429, `resetsAt`
 * (the window's end, ISO 8601) and `retryAfterMs` until then.
 */
export function budgetExceededError(budget: Budget, limit: 'tokens' | 'cost', at: number): AgentryError {
  const { end } = budgetWindowBounds(budget.window, at);
  const resetsAt = new Date(end).toISOString();
  const what = limit === 'tokens' ? `${budget.maxTokens} tokens` : `$${budget.maxCostUsd} (US dollars)`;
  return new AgentryError(
    'budget_exceeded',
    `This tenant has used its budget of ${what} for the current ${budget.window} (UTC); it resets at ${resetsAt}. Raise limits.budgets or wait.`,
    { resetsAt, retryAfterMs: Math.max(0, end - at) },
  );
}

/** Checks a budget's shape: a window and at least one non-negative finite limit. Throws a `TypeError` naming the fix. */
export function checkBudget(budget: Budget, where: string): void {
  if (budget === null || typeof budget !== 'object') throw new TypeError(`${where} must be an object.`);
  if (budget.window !== 'day' && budget.window !== 'month') {
    throw new TypeError(`${where}.window must be "day" or "month", got ${JSON.stringify(budget.window)}.`);
  }
  if (budget.maxTokens === undefined && budget.maxCostUsd === undefined) {
    throw new TypeError(`${where} needs maxTokens or maxCostUsd (or both).`);
  }
  for (const key of ['maxTokens', 'maxCostUsd'] as const) {
    const value = budget[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new TypeError(`${where}.${key} must be a finite number ≥ 0, got ${String(value)}.`);
    }
  }
}
