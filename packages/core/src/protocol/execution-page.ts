import { AgentryError } from '../errors';
import type { ExecutionResult } from './execution-record';

/** Options for listing a tenant's history. */
export interface ListExecutionsOptions {
  /** Only this agent's executions. */
  agentId?: string;
  /** Page size, 1–100. @default 20 */
  limit?: number;
  /**
   * The `nextCursor` of the previous page, unchanged. Cursors are opaque: anything else (an
   * edited cursor, one from another tenant, one issued by an earlier version) is refused with
   * `validation_failed` (HTTP 400).
   */
  cursor?: string;
}

/** One page of history, newest first. */
export interface ExecutionPage {
  items: ExecutionResult[];
  /**
   * Pass as `cursor` for the next page; absent on the last page. Opaque: a position in this
   * tenant's own history, valid for this tenant only. Runs saved meanwhile do not shift it.
   */
  nextCursor?: string;
}

/** The largest `limit` of one page (`GET /executions?limit=`). */
export const MAX_PAGE_SIZE = 100;

/** `GET /executions`'s query string for `options` (unset fields left out). */
export function listExecutionsQuery(options: ListExecutionsOptions): URLSearchParams {
  const params = new URLSearchParams();
  if (options.agentId !== undefined) params.set('agentId', options.agentId);
  if (options.limit !== undefined) params.set('limit', String(options.limit));
  if (options.cursor !== undefined) params.set('cursor', options.cursor);
  return params;
}

/**
 * Reads `GET /executions`'s query string. Empty values are ignored; a `limit` that is not an
 * integer from 1 to {@link MAX_PAGE_SIZE} is refused with `validation_failed`.
 */
export function parseListExecutionsQuery(params: URLSearchParams): ListExecutionsOptions {
  const options: ListExecutionsOptions = {};
  const agentId = params.get('agentId');
  if (agentId !== null && agentId !== '') options.agentId = agentId;
  const cursor = params.get('cursor');
  if (cursor !== null && cursor !== '') options.cursor = cursor;
  const limit = params.get('limit');
  if (limit !== null && limit !== '') {
    const value = Number(limit);
    if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
      throw new AgentryError(
        'validation_failed',
        `limit must be an integer from 1 to ${MAX_PAGE_SIZE} (got "${limit}").`,
        { issues: [{ path: ['limit'], code: 'too_big', message: `Expected an integer from 1 to ${MAX_PAGE_SIZE}.` }] },
      );
    }
    options.limit = value;
  }
  return options;
}
