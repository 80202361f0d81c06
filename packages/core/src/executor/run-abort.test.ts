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

  it('offAbort removes that listener only, whichever it is, and ignores one it never had', () => {
    const abort = new RunAbort();
    const calls: string[] = [];
    const first = () => calls.push('first');
    abort.onAbort(first);
    abort.onAbort(() => calls.push('second'));
    abort.onAbort(() => calls.push('third'));
    abort.offAbort(() => calls.push('stranger'));
    abort.offAbort(first);
    abort.abort('x');
    expect(calls).toEqual(['second', 'third']);
  });

  it('whenAborted is one promise however many race it, and never an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const abort = new RunAbort();
      expect(abort.whenAborted()).toBe(abort.whenAborted());
      // Nobody races it when it fires (the call it raced already answered).
      abort.abort('nobody listening');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('release is safe twice, and on an abort that has no parent', () => {
    const parent = new RunAbort();
    const child = parent.child();
    child.release();
    expect(() => child.release()).not.toThrow();
    expect(() => new RunAbort().release()).not.toThrow();
    parent.abort('cancel');
    expect(child.aborted).toBe(false);
  });
});
