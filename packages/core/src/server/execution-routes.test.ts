import { describe, expect, it, vi } from 'vitest';
import type { ExecutionEvent } from '../protocol';
import { numbered } from './execution-routes';

describe('numbered', () => {
  async function* events(count: number, seen: number[]): AsyncGenerator<ExecutionEvent> {
    for (let index = 1; index <= count; index += 1) {
      seen.push(index);
      yield { type: 'output-delta', executionId: 'exe_1', delta: String(index) } as ExecutionEvent;
    }
  }

  it('numbers events from 1', async () => {
    const iterator = numbered(events(2, []), false);
    expect((await iterator.next()).value).toMatchObject({ id: 1 });
    expect((await iterator.next()).value).toMatchObject({ id: 2 });
    expect((await iterator.next()).done).toBe(true);
  });

  it('closing a detached one reads the run to its end unseen; an attached one stops it', async () => {
    const attachedSeen: number[] = [];
    const attached = numbered(events(3, attachedSeen), false);
    await attached.next();
    await attached.return?.();
    expect(attachedSeen).toEqual([1]);

    const detachedSeen: number[] = [];
    const detached = numbered(events(3, detachedSeen), true);
    await detached.next();
    await detached.return?.();
    await vi.waitFor(() => expect(detachedSeen).toEqual([1, 2, 3]));
  });
});
