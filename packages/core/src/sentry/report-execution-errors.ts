// Failed executions as Sentry events, from the executor's `onEvent` hook. Sentry's SDK is not
// imported: the host passes its own `Sentry` namespace (`@sentry/node`, `@sentry/nextjs`, …),
// so this entry has no dependency and works with whichever Sentry SDK the app already uses.

import { createRedactor } from '../logging';
import type { Secret } from '../logging/secret';
import type { CancelledExecution, ExecutionEvent, FailedExecution } from '../protocol';
import type { TenantContext } from '../tenant';

/** What this helper needs of a Sentry SDK: `captureException` with a capture context (SDK v7 and later). */
export interface SentryLike {
  captureException(
    exception: unknown,
    captureContext?: {
      level?: 'error' | 'warning';
      tags?: Record<string, string>;
      fingerprint?: string[];
      contexts?: Record<string, Record<string, unknown>>;
    },
  ): unknown;
}

/** Options for {@link reportExecutionErrors}. */
export interface ReportExecutionErrorsOptions {
  /**
   * Which ended executions become events. @default only `failed` ones (a cancelled run is the
   * caller's choice, not an error)
   */
  shouldReport?: (result: FailedExecution | CancelledExecution) => boolean;
  /**
   * The `tenant_id` tag's value: the tenant id itself, or what this returns (a hash, an alias).
   * @default the tenant id
   */
  tenantId?: (tenantId: string) => string;
  /** Extra exact values to redact from the event (the executor has already redacted its keys). */
  secrets?: readonly (string | Secret)[];
}

/**
 * An `onEvent` hook that reports each failed execution to Sentry: one event per failure,
 * tagged `tenant_id`, `agent_id`, `execution_id`, `mode`, `requested_mode`, `provider`, `model`
 * and `error_code`, grouped by error code and agent. It carries the error's (redacted) message
 * and the run's metrics; never its input, output or prompt.
 *
 * ```ts
 * import * as Sentry from '@sentry/nextjs';
 * const executor = createExecutor({ agents, onEvent: reportExecutionErrors(Sentry) });
 * ```
 */
export function reportExecutionErrors(
  sentry: SentryLike,
  options: ReportExecutionErrorsOptions = {},
): (event: ExecutionEvent, context: { tenant: TenantContext }) => void {
  if (typeof sentry?.captureException !== 'function') {
    throw new TypeError(
      'reportExecutionErrors: pass the Sentry SDK namespace (the `Sentry` of @sentry/node, @sentry/nextjs, …); what was passed has no captureException function.',
    );
  }
  const redactor = createRedactor(options.secrets ?? []);
  const shouldReport = options.shouldReport ?? ((result) => result.status === 'failed');
  return (event, context) => {
    if (event.type !== 'execution-error' || !shouldReport(event.result)) return;
    const { result } = event;
    const error = result.error;
    // A plain Error named for Agentry's error, with no stack: the failure happened in the
    // pipeline, not where this hook runs, and Sentry groups by the fingerprint below.
    const exception = new Error(redactor.redactString(error.message));
    exception.name = `AgentryError: ${error.code}`;
    exception.stack = `${exception.name}: ${exception.message}`;
    const tenantId = options.tenantId ? options.tenantId(context.tenant.tenantId) : context.tenant.tenantId;
    const agentry: Record<string, unknown> = {
      status: result.status,
      code: error.code,
      userMessage: redactor.redactString(error.userMessage),
      retryable: error.retryable,
      httpStatus: error.status,
      durationMs: result.metrics.durationMs,
      attempts: result.metrics.attempts,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
    };
    if (error.requestId !== undefined) agentry.providerRequestId = redactor.redactString(error.requestId);
    sentry.captureException(exception, {
      level: 'error',
      tags: {
        tenant_id: tenantId,
        agent_id: result.agentId,
        execution_id: result.id,
        mode: result.mode,
        requested_mode: result.requestedMode,
        provider: result.metrics.provider,
        model: result.metrics.model,
        error_code: error.code,
      },
      fingerprint: ['agentry', error.code, result.agentId],
      contexts: { agentry },
    });
  };
}

/**
 * A `beforeSend` for `Sentry.init` that redacts every event the SDK sends (API-key shapes,
 * bearer tokens, `authorization` headers, and `secrets`): defence in depth for the errors
 * Sentry captures on its own.
 */
export function redactSentryEvents(
  options: { secrets?: readonly (string | Secret)[] } = {},
): <TEvent>(event: TEvent) => TEvent {
  const redactor = createRedactor(options.secrets ?? []);
  return (event) => redactor.redactValue(event);
}
