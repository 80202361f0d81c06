import { describe, expect, it } from 'vitest';
import { RunAbort } from './run-abort';

describe('RunAbort', () => {
  it('makes no AbortSignal until one is read, and a signal read later follows it', () => {
    const abort = new RunAbort();
    const early = abort.signal;
    expect(abort.signal).toBe(early);
    const reason = new Error('cancelled');
    abort.abort(reason);
    expect(early.aborted).toBe(true);
    expect(early.reason).toBe(reason);
    // The first reason wins.
    abort.abort(new Error('later'));
    expect(abort.reason).toBe(reason);
  });

  it('a signal first read after the abort is already aborted, with the reason', () => {
    const abort = new RunAbort();
    abort.abort('deadline');
    expect(abort.signal.aborted).toBe(true);
    expect(abort.signal.reason).toBe('deadline');
  });

  it('calls its listeners once, in order, and not those removed', () => {
    const abort = new RunAbort();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    abort.onAbort(() => calls.push('first'));
    abort.onAbort(removed);
    abort.onAbort(() => calls.push('second'));
    abort.offAbort(removed);
    abort.abort('x');
    abort.abort('y');
    expect(calls).toEqual(['first', 'second']);
  });

  it('whenAborted rejects with the reason, also when asked after the abort', async () => {
    const abort = new RunAbort();
    const pending = abort.whenAborted();
    abort.abort('gone');
    await expect(pending).rejects.toBe('gone');
    const late = new RunAbort();
    late.abort('late');
    await expect(late.whenAborted()).rejects.toBe('late');
  });

  it('a child follows its parent until released, and aborting the child leaves the parent alone', () => {
    const parent = new RunAbort();
    const own = parent.child();
    own.abort('step deadline');
    expect(parent.aborted).toBe(false);
    const following = parent.child();
    const released = parent.child();
    released.release();
    parent.abort('cancel');
    expect(following.reason).toBe('cancel');
    expect(released.aborted).toBe(false);
    expect(parent.child().reason).toBe('cancel');
  });
});
