import type { ExecutionMetrics, Usage } from '../../metrics';
import type { FinishReason } from '../types';

const FINISH_REASONS: ReadonlySet<string> = new Set<FinishReason>([
  'stop',
  'length',
  'content_filter',
  'tool_calls',
  'error',
  'other',
]);

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * The usage a remote record reports, passed through as the remote knew it: a count the remote
 * did not know (`null`, or absent in an older record) stays unknown here, never 0. `undefined`
 * when the remote knew no count at all.
 */
export function usageOf(metrics: Partial<ExecutionMetrics> | undefined): Usage | undefined {
  const input = count(metrics?.inputTokens);
  const output = count(metrics?.outputTokens);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: input ?? null, outputTokens: output ?? null };
  const cached = count(metrics?.cachedInputTokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const reasoning = count(metrics?.reasoningTokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

/**
 * The finish reason a remote record reports (its unified value and the raw one it kept); a record
 * from an older remote that reports none finished normally: `stop`.
 */
export function finishOf(metrics: Partial<ExecutionMetrics> | undefined): {
  finishReason: FinishReason;
  rawFinishReason?: string;
} {
  const reported = metrics?.finishReason;
  const finishReason = typeof reported === 'string' && FINISH_REASONS.has(reported) ? reported : 'stop';
  const raw = metrics?.rawFinishReason;
  return typeof raw === 'string' && raw !== ''
    ? { finishReason, rawFinishReason: raw.slice(0, 200) }
    : { finishReason };
}
