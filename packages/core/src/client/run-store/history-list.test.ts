import { describe, expect, it, vi } from 'vitest';
import { AgentryError } from '../../errors';
import type { AgentService } from '../../executor/types';
import type { ExecutionPage, ExecutionResult } from '../../protocol';
import { createHistoryList, isHistoryEntryStale } from './history-list';

function run(id: string, input: unknown = { text: id }): ExecutionResult {
  return { id, input } as unknown as ExecutionResult;
}

/** A service whose `listExecutions` answers from `pages`, keyed by cursor ('' = first page). */
function pagedService(pages: Record<string, ExecutionPage | Error>) {
  const calls: (string | undefined)[] = [];
  const service = {
    listExecutions: vi.fn(async (options: { cursor?: string } = {}) => {
      calls.push(options.cursor);
      const page = pages[options.cursor ?? ''];
      if (page === undefined) throw new AgentryError('validation_failed', `unknown cursor ${options.cursor}`);
      if (page instanceof Error) throw page;
      return page;
    }),
  } as unknown as AgentService;
  return { service, calls };
}

describe('createHistoryList', () => {
  it('loads the first page on connect, then the next pages through the opaque cursor', async () => {
    const { service, calls } = pagedService({
      '': { items: [run('e3'), run('e2')], nextCursor: 'c1' },
      c1: { items: [run('e1')] },
    });
    const changed = vi.fn();
    const history = createHistoryList(undefined, changed);
    history.connect(service);
    expect(history.status).toBe('loading');
    await vi.waitFor(() => expect(history.status).toBe('ready'));
    expect(history.items.map((item) => item.id)).toEqual(['e3', 'e2']);
    expect(history.hasMore).toBe(true);
    await history.loadMore();
    expect(history.items.map((item) => item.id)).toEqual(['e3', 'e2', 'e1']);
    expect(history.hasMore).toBe(false);
    await history.loadMore();
    expect(calls).toEqual([undefined, 'c1']);
    expect(changed).toHaveBeenCalled();
  });

  it('keeps shown items and the cursor when a page fails, so loading more can be retried', async () => {
    const pages: Record<string, ExecutionPage | Error> = {
      '': { items: [run('e2')], nextCursor: 'c1' },
      c1: new AgentryError('validation_failed', 'The cursor is not valid for this tenant.'),
    };
    const { service } = pagedService(pages);
    const history = createHistoryList(service, () => {});
    await history.reload();
    await history.loadMore();
    expect(history.status).toBe('error');
    expect(history.error?.code).toBe('validation_failed');
    expect(history.items.map((item) => item.id)).toEqual(['e2']);
    expect(history.hasMore).toBe(true);
    pages.c1 = { items: [run('e1')] };
    await history.loadMore();
    expect(history.status).toBe('ready');
    expect(history.items.map((item) => item.id)).toEqual(['e2', 'e1']);
  });

  it('drops the old tenant list on a service switch instead of mixing them', async () => {
    const a = pagedService({ '': { items: [run('a1')], nextCursor: 'ca' } });
    const b = pagedService({ '': { items: [run('b1')] } });
    const history = createHistoryList(a.service, () => {});
    await history.reload();
    history.connect(b.service);
    expect(history.items).toEqual([]);
    await vi.waitFor(() => expect(history.status).toBe('ready'));
    expect(history.items.map((item) => item.id)).toEqual(['b1']);
    expect(history.hasMore).toBe(false);
  });

  it('does not duplicate an entry that shifted onto the next page', async () => {
    const { service } = pagedService({
      '': { items: [run('e3'), run('e2')], nextCursor: 'c1' },
      c1: { items: [run('e2'), run('e1')] },
    });
    const history = createHistoryList(service, () => {});
    await history.reload();
    await history.loadMore();
    expect(history.items.map((item) => item.id)).toEqual(['e3', 'e2', 'e1']);
  });
});

describe('isHistoryEntryStale', () => {
  it('is fresh for the same JSON regardless of key order and whitespace', () => {
    expect(isHistoryEntryStale(run('e', { a: 1, b: [1, 2] }), '{ "b": [1, 2],\n "a": 1 }')).toBe(false);
  });
  it('is stale once the editor input differs', () => {
    expect(isHistoryEntryStale(run('e', { a: 1 }), '{"a": 2}')).toBe(true);
    expect(isHistoryEntryStale(run('e', { a: 1 }), '{"a": 1')).toBe(true);
    expect(isHistoryEntryStale(run('e', 'plain'), 'plain')).toBe(false);
  });
});
