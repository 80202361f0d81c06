import { describe, expect, it } from 'vitest';
import { createStatementBatcher } from './statement-batcher';

// The queue alone, on a fake database whose statements return when the test says so.

function fakeDatabase(options: { failBatchesWith?: (calls: readonly number[]) => boolean } = {}) {
  const sent: { kind: 'single' | 'batch'; calls: number[]; finish: () => void }[] = [];
  const statement = <TAnswer>(kind: 'single' | 'batch', calls: number[], answer: () => TAnswer) =>
    new Promise<TAnswer>((resolve, reject) => {
      sent.push({
        kind,
        calls,
        finish: () => {
          try {
            resolve(answer());
          } catch (error) {
            reject(error);
          }
        },
      });
    });
  const batcher = createStatementBatcher<number, string>({
    maxBatch: 3,
    maxInFlight: 2,
    single: (call) =>
      statement('single', [call], () => {
        if (call < 0) throw new Error(`bad call ${call}`);
        return `answer ${call}`;
      }),
    batch: (calls) =>
      statement('batch', [...calls], () => {
        if (calls.some((call) => call < 0) || options.failBatchesWith?.(calls) === true) {
          throw new Error('the batch was rolled back');
        }
        return calls.map((call) => `answer ${call}`);
      }),
  });
  /** Lets the oldest unfinished statement return, then lets the queue react. */
  async function finishNext() {
    const next = sent.find((statement) => !finished.has(statement));
    if (next === undefined) throw new Error('nothing in flight');
    finished.add(next);
    next.finish();
    // Every promise reaction runs before the next macrotask.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const finished = new Set<(typeof sent)[number]>();
  async function finishAll() {
    while (sent.some((statement) => !finished.has(statement))) await finishNext();
  }
  return { batcher, sent, finishNext, finishAll };
}

const shape = (sent: { kind: string; calls: number[] }[]) =>
  sent.map(({ kind, calls }) => `${kind} ${calls.join(',')}`);

describe('createStatementBatcher', () => {
  it('sends a lone call at once, alone', async () => {
    const database = fakeDatabase();
    const answer = database.batcher.call(1);
    expect(shape(database.sent)).toEqual(['single 1']);
    await database.finishAll();
    await expect(answer).resolves.toBe('answer 1');
  });

  it('queues the calls that find every slot taken, then sends them as one statement, capped', async () => {
    const database = fakeDatabase();
    const answers = [1, 2, 3, 4, 5, 6, 7].map((call) => database.batcher.call(call));
    // Two alone (the slots), the rest waiting.
    expect(shape(database.sent)).toEqual(['single 1', 'single 2']);
    await database.finishNext();
    expect(shape(database.sent)).toEqual(['single 1', 'single 2', 'batch 3,4,5']);
    await database.finishNext();
    expect(shape(database.sent)).toEqual(['single 1', 'single 2', 'batch 3,4,5', 'batch 6,7']);
    await database.finishAll();
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6, 7].map((call) => `answer ${call}`));
  });

  it('a batch that fails is sent again call by call: each caller gets its own answer or its own error', async () => {
    const database = fakeDatabase();
    const answers = [1, 2, 3, -4, 5].map((call) => database.batcher.call(call).catch((error: Error) => error.message));
    await database.finishAll();
    expect(shape(database.sent)).toEqual(['single 1', 'single 2', 'batch 3,-4,5', 'single 3', 'single -4', 'single 5']);
    expect(await Promise.all(answers)).toEqual(['answer 1', 'answer 2', 'answer 3', 'bad call -4', 'answer 5']);
  });

  it('a batch that fails for all of them gives each its own error, and the queue goes on', async () => {
    const database = fakeDatabase({ failBatchesWith: (calls) => calls.includes(3) });
    const first = [1, 2, 3, 4].map((call) => database.batcher.call(call).catch((error: Error) => error.message));
    await database.finishAll();
    expect(await Promise.all(first)).toEqual(['answer 1', 'answer 2', 'answer 3', 'answer 4']);
    const later = database.batcher.call(8);
    await database.finishAll();
    await expect(later).resolves.toBe('answer 8');
  });

  it('a single statement that throws at once rejects its caller only', async () => {
    const batcher = createStatementBatcher<number, number>({
      maxBatch: 4,
      maxInFlight: 1,
      single: (call) => {
        if (call === 0) throw new Error('refused before sending');
        return Promise.resolve(call);
      },
      batch: (calls) => Promise.resolve([...calls]),
    });
    await expect(batcher.call(0)).rejects.toThrow('refused before sending');
    await expect(batcher.call(1)).resolves.toBe(1);
  });
});
