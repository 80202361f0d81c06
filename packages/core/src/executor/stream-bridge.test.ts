import { describe, expect, it } from 'vitest';
import { streamBridge } from './stream-bridge';
import type { ExecutionEvent, ExecutionResult } from './types';

const delta = (text: string): ExecutionEvent => ({ type: 'output-delta', executionId: 'exe_1', delta: text });

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
});
