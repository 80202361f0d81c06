import { describe, expect, it } from 'vitest';
import { streamBridge } from './stream-bridge';
import type { ExecutionEvent, ExecutionResult } from './types';

const delta = (text: string): ExecutionEvent => ({ type: 'output-delta', executionId: 'exe_1', delta: text });

/** A stream whose run waits for `release()` before its body emits (so `next()` calls can queue up first). */
function afterRelease(body: (emit: (event: ExecutionEvent) => void) => ExecutionResult) {
  let release: (() => void) | undefined;
  const events = streamBridge(async (emit) => {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return body(emit);
  });
  return { events, release: () => release?.() };
}

describe('streamBridge', () => {
  it('yields every pushed event in order, including those pushed after a wait', async () => {
    const events = streamBridge(async (emit) => {
      emit(delta('a'));
      await Promise.resolve();
      emit(delta('b'));
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      emit(delta('c'));
      return {} as ExecutionResult;
    });
    const seen: string[] = [];
    for await (const event of events) if (event.type === 'output-delta') seen.push(event.delta);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('a consumer that stops early cancels the run and waits for it to end', async () => {
    let ended = false;
    const events = streamBridge(async (emit, controller) => {
      emit(delta('a'));
      await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
      expect(controller.signal.reason).toMatchObject({
        code: 'cancelled',
        message: 'The stream was closed by its consumer.',
      });
      ended = true;
      return {} as ExecutionResult;
    });
    for await (const _ of events) break;
    expect(ended).toBe(true);
  });

  it('starts the run on the first next(), not before, and never if the consumer returns first', async () => {
    let starts = 0;
    const start = async (emit: (event: ExecutionEvent) => void) => {
      starts += 1;
      emit(delta('a'));
      return {} as ExecutionResult;
    };
    const events = streamBridge(start);
    expect(starts).toBe(0);
    expect(await events.next()).toEqual({ done: false, value: delta('a') });
    expect(starts).toBe(1);
    expect(await events.next()).toEqual({ done: true, value: undefined });
    expect(await events.next()).toEqual({ done: true, value: undefined });

    const unread = streamBridge(start);
    expect(await unread.return?.()).toEqual({ done: true, value: undefined });
    expect(await unread.next()).toEqual({ done: true, value: undefined });
    expect(starts).toBe(1);
  });

  it('rejects the next() after the last event once when the run fails, then is done', async () => {
    const boom = new Error('boom');
    const events = streamBridge(async (emit) => {
      emit(delta('a'));
      await Promise.resolve();
      emit(delta('b'));
      throw boom;
    });
    expect((await events.next()).value).toEqual(delta('a'));
    expect((await events.next()).value).toEqual(delta('b'));
    await expect(events.next()).rejects.toBe(boom);
    expect(await events.next()).toEqual({ done: true, value: undefined });

    // A start that throws before its first await is the same failure.
    const sync = streamBridge(() => {
      throw boom;
    });
    await expect(sync.next()).rejects.toBe(boom);
  });

  it('answers next() calls made without awaiting in order, each with its own event', async () => {
    const { events, release } = afterRelease((emit) => {
      emit(delta('a'));
      emit(delta('b'));
      return {} as ExecutionResult;
    });
    const calls = [events.next(), events.next(), events.next(), events.next()];
    release();
    expect(await Promise.all(calls)).toEqual([
      { done: false, value: delta('a') },
      { done: false, value: delta('b') },
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
  });

  it('answers waiting next() calls with the events, then the failure once, then done, when the run fails', async () => {
    const { events, release } = afterRelease((emit) => {
      emit(delta('a'));
      throw new Error('broke');
    });
    const calls = [events.next(), events.next(), events.next(), events.next()].map((call) =>
      call.then(
        (step) => step,
        (error: Error) => `rejected: ${error.message}`,
      ),
    );
    release();
    expect(await Promise.all(calls)).toEqual([
      { done: false, value: delta('a') },
      'rejected: broke',
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('return() while a next() waits ends that next(), cancels the run, and hands out nothing emitted after', async () => {
    let emitLater: ((event: ExecutionEvent) => void) | undefined;
    let reason: unknown;
    const events = streamBridge(async (emit, controller) => {
      emitLater = emit;
      await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
      reason = controller.signal.reason;
      emit(delta('late'));
      return {} as ExecutionResult;
    });
    const waiting = events.next();
    const closing = events.return?.();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await closing).toEqual({ done: true, value: undefined });
    expect(reason).toMatchObject({ code: 'cancelled', message: 'The stream was closed by its consumer.' });
    emitLater?.(delta('later still'));
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it('throw() cancels the run, waits for it, and rejects with the error given', async () => {
    let ended = false;
    const events = streamBridge(async (emit, controller) => {
      emit(delta('a'));
      await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
      ended = true;
      return {} as ExecutionResult;
    });
    await events.next();
    const mine = new Error('consumer failed');
    await expect(events.throw?.(mine)).rejects.toBe(mine);
    expect(ended).toBe(true);
  });

  it("return() rejects with the run's failure when the run fails while being cancelled", async () => {
    const events = streamBridge(async (emit, controller) => {
      emit(delta('a'));
      await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
      throw new Error('failed while cancelled');
    });
    await events.next();
    await expect(events.return?.()).rejects.toThrow('failed while cancelled');
  });

  it('leaves no unhandled rejection when the consumer stops after the run failed', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const events = streamBridge(async (emit) => {
        emit(delta('a'));
        throw new Error('failed');
      });
      await events.next();
      await new Promise((resolve) => setImmediate(resolve));
      expect(await events.return?.()).toEqual({ done: true, value: undefined });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a stream read to its end leaves the run’s signal alone', async () => {
    let signal: AbortSignal | undefined;
    const events = streamBridge(async (emit, controller) => {
      signal = controller.signal;
      emit(delta('a'));
      return {} as ExecutionResult;
    });
    for await (const _ of events);
    expect(signal?.aborted).toBe(false);
  });

  it('hands out a burst of events emitted at once one by one, none lost', async () => {
    const events = streamBridge(async (emit) => {
      for (const text of ['a', 'b', 'c', 'd']) emit(delta(text));
      await Promise.resolve();
      for (const text of ['e', 'f']) emit(delta(text));
      return {} as ExecutionResult;
    });
    const seen: string[] = [];
    for await (const event of events) if (event.type === 'output-delta') seen.push(event.delta);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});
