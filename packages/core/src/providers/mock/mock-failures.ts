import type { MockFailureKind } from '../../agent';
import { AgentryError } from '../../errors';

/** When and how to fail. Give `rate`, `onCalls`, or both. */
export interface MockFailureOptions {
  kind: MockFailureKind;
  /** Fail this fraction of calls (0–1), chosen by the seeded generator. @default 0 */
  rate?: number;
  /** Fail exactly these calls (1-based, counted per provider, retries included). */
  onCalls?: readonly number[];
  /** For `rate_limit`: the retry-after the imitated provider sends. @default 1000 */
  retryAfterMs?: number;
  /** `start` fails before any output; `mid-stream` after half the chunks. @default 'start' */
  at?: 'start' | 'mid-stream';
  /** The imitated provider's error message. */
  message?: string;
}

/** The error an injected failure raises, as the imitated provider would answer it. */
export function failureError(failure: MockFailureOptions): AgentryError {
  switch (failure.kind) {
    case 'rate_limit': {
      const retryAfterMs = failure.retryAfterMs ?? 1000;
      return new AgentryError('rate_limited', failure.message ?? 'Mock provider: rate limit reached (simulated).', {
        provider: 'mock',
        retryAfterMs,
      });
    }
    case 'provider_error':
      return new AgentryError('provider_error', failure.message ?? 'Mock provider: server error (simulated).', {
        provider: 'mock',
      });
    case 'auth_failed':
      return new AgentryError(
        'provider_auth_failed',
        failure.message ?? 'Mock provider: invalid API key (simulated).',
        {
          provider: 'mock',
        },
      );
    case 'timeout':
      // A hang: the executor's deadline fires, as it would with a stuck provider.
      return new AgentryError('timeout', failure.message ?? 'Mock provider: no answer (simulated).', {
        provider: 'mock',
      });
    default:
      return failure.kind satisfies never;
  }
}
