// Group commit for one kind of statement. A call that finds fewer than `maxInFlight` statements
// of its kind in flight goes out at once, alone, so an idle instance and sequential runs are
// unchanged (no timer, no added wait). Calls that arrive while `maxInFlight` are in flight queue;
// when one returns, up to `maxBatch` of them go out as one statement (one round trip, one commit)
// instead of one each. Under load the batch grows with the queue, so the database's
// per-statement and per-commit cost is shared; idle, every call is the single statement.
//
// A batch is one transaction: one element that fails rolls back all of them. Each element is
// then sent again alone, so each caller gets its own answer or its own error, and one bad run
// never fails or loses another's.

/** Options of {@link createStatementBatcher}. */
export interface StatementBatcherOptions<TCall, TAnswer> {
  /** Sends one call alone (the single-run statement). */
  single(call: TCall): Promise<TAnswer>;
  /** Sends several calls as one statement; answers in call order, or throws when it was rolled back. */
  batch(calls: readonly TCall[]): Promise<TAnswer[]>;
  /** The most calls in one statement. */
  maxBatch: number;
  /** The most statements of this kind in flight at once. */
  maxInFlight: number;
}

interface Pending<TCall, TAnswer> {
  call: TCall;
  resolve(answer: TAnswer): void;
  reject(error: unknown): void;
}

export function createStatementBatcher<TCall, TAnswer>(options: StatementBatcherOptions<TCall, TAnswer>) {
  const { single, batch, maxBatch, maxInFlight } = options;
  const queue: Pending<TCall, TAnswer>[] = [];
  let inFlight = 0;

  function alone(pending: Pending<TCall, TAnswer>): Promise<void> {
    let sent: Promise<TAnswer>;
    try {
      sent = single(pending.call);
    } catch (error) {
      sent = Promise.reject(error);
    }
    return sent.then(pending.resolve, pending.reject);
  }

  async function send(group: Pending<TCall, TAnswer>[]): Promise<void> {
    if (group.length === 1) {
      await alone(group[0] as Pending<TCall, TAnswer>);
      return;
    }
    let answers: TAnswer[];
    try {
      answers = await batch(group.map((pending) => pending.call));
      if (answers.length !== group.length) {
        throw new Error(`a batch of ${group.length} calls answered ${answers.length}`);
      }
    } catch {
      // Rolled back as a whole: nothing of any element was kept. Each alone, for its own answer.
      await Promise.all(group.map(alone));
      return;
    }
    for (const [index, pending] of group.entries()) pending.resolve(answers[index] as TAnswer);
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      inFlight += 1;
      send(queue.splice(0, maxBatch)).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return {
    /** Sends the call, alone or with others; resolves with its own answer, or rejects with its own error. */
    call(call: TCall): Promise<TAnswer> {
      return new Promise<TAnswer>((resolve, reject) => {
        queue.push({ call, resolve, reject });
        pump();
      });
    },
  };
}
