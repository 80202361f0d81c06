import { AgentryError } from '@agentry/core';

/** What the coordinator throws when the database fails: a retryable `internal` error naming the step. */
export function coordinatorFailure(operation: string, error: unknown): AgentryError | TypeError {
  if (error instanceof AgentryError || error instanceof TypeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AgentryError('internal', `The PostgreSQL coordinator failed to ${operation}: ${message}`, {
    cause: error,
    retryable: true,
  });
}

/** One execution of one tenant, as a map key and as the payload of the NOTIFY channels. */
export const executionKey = (tenantId: string, executionId: string) => JSON.stringify([tenantId, executionId]);
