import { describe, expect, it, vi } from 'vitest';
import { AgentryError } from '../../errors';
import type { AgentService } from '../../executor/types';
import type { ExecutionPage, ExecutionResult } from '../../protocol';
import { createHistoryList } from './history-list';
import { isHistoryEntryStale } from './stale-check';

function run(id: string, input: unknown = { text: id }, agentId = 'summarize'): ExecutionResult {
  return { id, input, agentId } as unknown as ExecutionResult;
}

/** A service whose `listExecutions` answers from `pages`, keyed by cursor ('' = first page). */
function pagedService(pages: Record<string, ExecutionPage | Error>) {
  const calls: { cursor?: string; agentId?: string; limit?: number }[] = [];
  const service = {
    listExecutions: vi.fn(async (options: { cursor?: string; agentId?: string; limit?: number } = {}) => {
      const { signal: _signal, ...rest } = options as typeof options & { signal?: AbortSignal };
      calls.push(rest);
      const page = pages[options.cursor ?? ''];
      if (page === undefined) throw new AgentryError('validation_failed', `unknown cursor ${options.cursor}`);
      if (page instanceof Error) throw page;
      return page;
    }),
  } as unknown as AgentService;
  return { service, calls };
}

const ids = (list: ReturnType<typeof createHistoryList>) => list.getSnapshot().items.map((item) => item.id);

describe('createHistoryList', () => {
  it('loads the first page on connect, then the next pages through the opaque cursor', async () => {
    const { service, calls } = pagedService({
      '': { items: [run('e3'), run('e2')], nextCursor: 'c1' },
      c1: { items: [run('e1')] },
    });
    const changed = vi.fn();
    const history = createHistoryList({ limit: 2 });
    history.subscribe(changed);
    expect(history.getSnapshot().status).toBe('idle');
    history.connect(service, { agentId: 'summarize' });
    expect(history.getSnapshot().status).toBe('loading');
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    expect(ids(history)).toEqual(['e3', 'e2']);
    expect(history.getSnapshot().hasMore).toBe(true);
    await history.loadMore();
    expect(ids(history)).toEqual(['e3', 'e2', 'e1']);
    expect(history.getSnapshot().hasMore).toBe(false);
    await history.loadMore();
    expect(calls).toEqual([
      { agentId: 'summarize', limit: 2 },
      { agentId: 'summarize', limit: 2, cursor: 'c1' },
    ]);
    expect(changed).toHaveBeenCalled();
  });

  it('keeps shown items and the cursor when a page fails, so loading more can be retried', async () => {
    const pages: Record<string, ExecutionPage | Error> = {
      '': { items: [run('e2')], nextCursor: 'c1' },
      c1: new AgentryError('validation_failed', 'The cursor is not valid for this tenant.'),
    };
    const { service } = pagedService(pages);
    const history = createHistoryList();
    history.connect(service);
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    await history.loadMore();
    expect(history.getSnapshot().status).toBe('error');
    expect(history.getSnapshot().error?.code).toBe('validation_failed');
    expect(ids(history)).toEqual(['e2']);
    expect(history.getSnapshot().hasMore).toBe(true);
    pages.c1 = { items: [run('e1')] };
    await history.loadMore();
    expect(history.getSnapshot().status).toBe('ready');
    expect(ids(history)).toEqual(['e2', 'e1']);
  });

  it('does not load the next page twice while one is on its way', async () => {
    const { service, calls } = pagedService({ '': { items: [run('e2')], nextCursor: 'c1' }, c1: { items: [] } });
    const history = createHistoryList();
    history.connect(service);
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    const first = history.loadMore();
    const second = history.loadMore();
    await Promise.all([first, second]);
    expect(calls.map((call) => call.cursor)).toEqual([undefined, 'c1']);
  });

  it('drops the old tenant list on a service switch instead of mixing them', async () => {
    const a = pagedService({ '': { items: [run('a1')], nextCursor: 'ca' } });
    const b = pagedService({ '': { items: [run('b1')] } });
    const history = createHistoryList();
    history.connect(a.service);
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    history.connect(b.service);
    expect(history.getSnapshot().items).toEqual([]);
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    expect(ids(history)).toEqual(['b1']);
    expect(history.getSnapshot().hasMore).toBe(false);
  });

  it('drops the list when the scope changes though the service is the same (one client, cookie workspaces)', async () => {
    const pages: Record<string, ExecutionPage> = { '': { items: [run('a1')] } };
    const { service, calls } = pagedService(pages);
    const history = createHistoryList();
    history.connect(service, { scope: 'ws_a' });
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    history.connect(service, { scope: 'ws_a' });
    expect(calls).toHaveLength(1);
    pages[''] = { items: [run('b1')] };
    history.connect(service, { scope: 'ws_b' });
    expect(history.getSnapshot().items).toEqual([]);
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    expect(ids(history)).toEqual(['b1']);
  });

  it('ignores a page that answers after a switch', async () => {
    let answer: (page: ExecutionPage) => void = () => {};
    const slow = {
      listExecutions: vi.fn(() => new Promise<ExecutionPage>((resolve) => (answer = resolve))),
    } as unknown as AgentService;
    const fast = pagedService({ '': { items: [run('b1')] } });
    const history = createHistoryList();
    history.connect(slow);
    history.connect(fast.service);
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    answer({ items: [run('a1')] });
    await Promise.resolve();
    expect(ids(history)).toEqual(['b1']);
  });

  it('does not duplicate an entry that shifted onto the next page', async () => {
    const { service } = pagedService({
      '': { items: [run('e3'), run('e2')], nextCursor: 'c1' },
      c1: { items: [run('e2'), run('e1')] },
    });
    const history = createHistoryList();
    history.connect(service);
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    await history.loadMore();
    expect(ids(history)).toEqual(['e3', 'e2', 'e1']);
  });

  it('puts a tracked run on top once, only for the connection and agent it started on', async () => {
    const { service } = pagedService({ '': { items: [run('e1')] } });
    const other = pagedService({ '': { items: [run('x1')] } });
    const history = createHistoryList();
    history.connect(service, { agentId: 'summarize', scope: 'ws_a' });
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    const add = history.track();
    add(run('e2'));
    add(run('e2'));
    add(run('t1', {}, 'translate'));
    expect(ids(history)).toEqual(['e2', 'e1']);
    const late = history.track();
    history.connect(other.service, { agentId: 'summarize', scope: 'ws_b' });
    await vi.waitFor(() => expect(history.getSnapshot().status).toBe('ready'));
    late(run('e3'));
    expect(ids(history)).toEqual(['x1']);
  });
});

describe('isHistoryEntryStale', () => {
  it('is fresh for the same JSON regardless of key order and whitespace', () => {
    expect(isHistoryEntryStale(run('e', { a: 1, b: [1, 2] }), '{ "b": [1, 2],\n "a": 1 }')).toBe(false);
  });
  it('is stale once the editor input differs', () => {
    expect(isHistoryEntryStale(run('e', { a: 1 }), '{"a": 2}')).toBe(true);
    expect(isHistoryEntryStale(run('e', { a: 1 }), '{"a": 1')).toBe(true);
    expect(isHistoryEntryStale(run('e', [1, 2]), '[2, 1]')).toBe(true);
    expect(isHistoryEntryStale(run('e', 'plain'), 'plain')).toBe(false);
  });
});

describe('isHistoryEntryStale with the input schema', () => {
  const schema = {
    type: 'object',
    properties: {
      text: { type: 'string' },
      style: { type: 'string', enum: ['brief', 'detailed'], default: 'brief' },
      options: { type: 'object', properties: { depth: { type: 'number', default: 2 } } },
    },
  } as const;
  it('counts fields left to their default as the stored (defaults applied) input', () => {
    const stored = run('e', { text: 'Hi', style: 'brief', options: { depth: 2 } });
    expect(isHistoryEntryStale(stored, '{ "text": "Hi", "options": {} }', schema)).toBe(false);
    expect(isHistoryEntryStale(stored, '{ "text": "Hi", "options": {} }')).toBe(true);
    expect(isHistoryEntryStale(stored, '{ "text": "Hi", "style": "detailed", "options": {} }', schema)).toBe(true);
    expect(isHistoryEntryStale(run('e', { text: 'Hi', style: 'detailed' }), '{ "text": "Hi" }', schema)).toBe(true);
  });
});
