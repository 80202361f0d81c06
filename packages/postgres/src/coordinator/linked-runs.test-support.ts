import type { ProviderAdapter, ProviderEvent } from '@agentry/core';
import type { PostgresPool } from '../pool';

// What the tests of the linked store and coordinator share: a pool that records its statements,
// and a provider that holds a run open until the test lets it go.

/** The pool, with every statement it is sent recorded (the function called, or the first word). */
export function recordingPool(pool: PostgresPool) {
  const statements: string[] = [];
  let failing: string | undefined;
  let losing: string | undefined;
  const name = (text: string) =>
    /^\s*select\s+(?:[\w\s,]*?\bfrom\s+)?[\w.]*?(\w+)\(/i.exec(text)?.[1] ??
    text.trim().split(/\s+/)[0]?.toLowerCase() ??
    '';
  const recorded: PostgresPool = {
    query(text, values) {
      statements.push(name(text));
      if (failing !== undefined && name(text) === failing) {
        failing = undefined;
        return Promise.reject(new Error('connection terminated unexpectedly'));
      }
      if (losing !== undefined && name(text) === losing) {
        losing = undefined;
        return pool.query(text, values).then(() => Promise.reject(new Error('connection terminated unexpectedly')));
      }
      return pool.query(text, values);
    },
    async connect() {
      const client = await pool.connect();
      return {
        query(text, values) {
          statements.push(name(text));
          return client.query(text, values);
        },
        release: (error) => client.release(error),
      };
    },
  };
  return {
    pool: recorded,
    statements,
    /** Makes the next call of this function fail, as a dropped connection would. */
    failNext(statement: string) {
      failing = statement;
    },
    /** Sends the next call of this function, then fails it: committed, its answer lost. */
    loseNextAnswer(statement: string) {
      losing = statement;
    },
  };
}

// Streams "one ", then waits until the test lets it go, then "two".
export function gatedProvider() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const provider: ProviderAdapter = {
    specificationVersion: 'v1',
    id: 'gated',
    async execute() {
      await opened;
      return { text: 'one two', usage: { inputTokens: 1, outputTokens: 2 }, finishReason: 'stop' };
    },
    async *stream(): AsyncGenerator<ProviderEvent> {
      yield { type: 'text-delta', delta: 'one ' };
      await opened;
      yield { type: 'text-delta', delta: 'two' };
      yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } };
      yield { type: 'finish', finishReason: 'stop' };
    },
  };
  return { provider, open };
}
