import { z } from 'zod';
import { defineAgent } from '../agent';
import { createExecutor } from '../executor';
import type { ExecutionEvent, ExecutionResult, LimitOptions, RetryState } from '../executor/types';
import { jsonLogger } from '../logging';
import {
  CONTRACT_STATUSES,
  type ContractReply,
  type ProviderContractHarness,
  type ProviderContractSupport,
} from './provider-contract-harness';
import {
  type ContractTestApi,
  comparable,
  deltasOf,
  EXPECTED_BY_STATUS,
  finalResult,
  policy,
  scriptedAnswer,
  tenant,
  until,
} from './provider-contract-support';
import { describeToolCases } from './provider-contract-tools';

/**
 * Registers the provider contract suite for one adapter: the behaviours every adapter must
 * have inside the executor, checked through the public API (`createExecutor`, `defineAgent`).
 * Cases that need a capability the harness declares missing are registered as skipped, with
 * the reason in their name. The tool-call cases run only for a harness that declares
 * `supports.tools` (an adapter with `capabilities.tools`); they call the adapter directly.
 *
 * @example
 * import * as vitest from 'vitest';
 * describeProviderContract(myHarness, vitest);
 */
export function describeProviderContract(harness: ProviderContractHarness, test: ContractTestApi): void {
  const { describe, expect, vi } = test;
  const supports: Required<ProviderContractSupport> = {
    stream: true,
    usage: true,
    structuredOutput: true,
    statuses: CONTRACT_STATUSES,
    retryAfter: true,
    timeouts: true,
    streamErrors: true,
    tools: false,
    ...harness.supports,
  };
  const mode = harness.mode ?? 'live';
  let current: readonly ContractReply[] = [];
  const script = (...replies: ContractReply[]) => {
    current = replies;
    harness.script(replies);
  };

  const echo = defineAgent({
    id: 'contract-echo',
    name: 'Contract echo',
    input: z.object({ text: z.string() }),
    model: { provider: harness.providerId, model: harness.model, maxOutputTokens: 64 },
    prompt: ({ text }) => text,
    mock: () => String(scriptedAnswer(current)),
  });
  const summarize = defineAgent({
    id: 'contract-summarize',
    name: 'Contract summarize',
    input: z.object({ text: z.string() }),
    output: z.object({ summary: z.string(), words: z.number().int() }),
    model: { provider: harness.providerId, model: harness.model },
    prompt: ({ text }) => [
      { role: 'system', content: 'Summarize as JSON.' },
      { role: 'user', content: text },
    ],
    mock: () => scriptedAnswer(current) as { summary: string; words: number },
  });

  function executor(limits: LimitOptions = policy, hooks: { lines?: string[]; retries?: RetryState[] } = {}) {
    return createExecutor({
      agents: [echo, summarize],
      providers: { [harness.providerId]: harness.createAdapter() },
      limits,
      ...(hooks.lines ? { logger: jsonLogger({ level: 'debug', write: (line) => hooks.lines?.push(line) }) } : {}),
      ...(hooks.retries ? { onRetry: (state: RetryState) => hooks.retries?.push(state) } : {}),
    });
  }
  const run = (agentId: 'contract-echo' | 'contract-summarize' = 'contract-echo') => ({
    agentId,
    input: { text: 'hello' },
    mode,
    tenant,
  });
  async function collect(iterable: AsyncIterable<ExecutionEvent>, onEvent?: (event: ExecutionEvent) => void) {
    const events: ExecutionEvent[] = [];
    for await (const event of iterable) {
      events.push(event);
      onEvent?.(event);
    }
    return events;
  }
  const fakeTime = () =>
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  const requests = () => harness.requests();
  const closed = (index: number) => requests()[index]?.closed === true;
  /** Partial output is kept: the record holds exactly what was streamed, a non-empty part of the whole. */
  const expectPartial = (result: ExecutionResult, events: readonly ExecutionEvent[], whole: string) => {
    const streamed = deltasOf(events).join('');
    expect(result.output).toBe(streamed);
    expect(streamed.length > 0 && streamed.length < whole.length && whole.startsWith(streamed)).toBe(true);
  };

  /** Registers a case, or a visibly skipped one when the harness lacks what it needs. */
  function it(name: string, needs: (keyof ProviderContractSupport)[], body: () => Promise<void>): void {
    const missing = needs.filter((need) => supports[need] === false);
    if (missing.length > 0) test.it.skip(`${name} [skipped: the harness lacks ${missing.join(', ')}]`, body);
    else test.it(name, body);
  }

  describe(`provider contract: ${harness.name}`, () => {
    test.beforeAll(async () => {
      await harness.setup?.();
    });
    test.afterEach(() => {
      vi.useRealTimers();
    });
    test.afterAll(async () => {
      await harness.teardown?.();
    });

    it('execute and stream give the same final record', ['stream'], async () => {
      const answer: ContractReply = {
        type: 'text',
        chunks: ['Hello', ' there'],
        usage: { inputTokens: 12, outputTokens: 3 },
      };
      script(answer);
      const executed = await executor().execute(run());
      script(answer);
      const streamed = finalResult(await collect(executor().stream(run())));
      expect(executed).toMatchObject({ status: 'succeeded', output: 'Hello there', metrics: { attempts: 1 } });
      expect(comparable(streamed)).toEqual(comparable(executed));
    });

    it(
      'stream: output deltas arrive in order and concatenate to the output; time to first output is measured',
      ['stream'],
      async () => {
        fakeTime();
        script({ type: 'text', chunks: ['The', ' answer', ' is', ' 42'], firstByteDelayMs: 250 });
        const events: ExecutionEvent[] = [];
        const done = collect(executor().stream(run()), (event) => events.push(event));
        await until(() => requests().length === 1, 'the request');
        await vi.advanceTimersByTimeAsync(250);
        await done;
        expect(events[0]?.type).toBe('execution-start');
        expect(finalResult(events).metrics.timeToFirstOutputMs).toBe(250);
        expect(deltasOf(events).length).toBeGreaterThan(1);
        expect(deltasOf(events).join('')).toBe('The answer is 42');
        expect(events.at(-1)).toMatchObject({ type: 'execution-finish', result: { output: 'The answer is 42' } });
      },
    );

    it('usage as reported, and its cost', ['usage'], async () => {
      script({ type: 'text', chunks: ['counted'], usage: { inputTokens: 1000, outputTokens: 500 } });
      const result = await executor().execute(run());
      expect(result.metrics).toMatchObject({ inputTokens: 1000, outputTokens: 500, provider: harness.providerId });
      if (harness.priced) expect(result.metrics.costUsd).toBeGreaterThan(0);
      else expect(result.metrics.costUsd).toBe(null);
    });

    it('no usage reported: tokens and cost are null, never zeros', ['usage'], async () => {
      script({ type: 'text', chunks: ['uncounted'], usage: null });
      const result = await executor().execute(run());
      expect(result).toMatchObject({ status: 'succeeded', output: 'uncounted' });
      expect(result.metrics).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
    });

    it('structured output: a valid object succeeds as the object', ['structuredOutput'], async () => {
      script({ type: 'object', object: { summary: 'Short.', words: 1 } });
      const result = await executor().execute(run('contract-summarize'));
      expect(result).toMatchObject({ status: 'succeeded', output: { summary: 'Short.', words: 1 } });
    });

    it(
      'structured output: an invalid object fails with output_invalid and keeps usage',
      ['structuredOutput'],
      async () => {
        script({
          type: 'object',
          object: { summary: 'Short.', words: 'one' },
          usage: { inputTokens: 20, outputTokens: 9 },
        });
        const result = await executor().execute(run('contract-summarize'));
        expect(result).toMatchObject({ status: 'failed', error: { code: 'output_invalid' }, metrics: { attempts: 1 } });
        expect(result.status === 'failed' ? result.error.issues?.[0]?.path : undefined).toEqual(['words']);
        if (supports.usage) expect(result.metrics).toMatchObject({ inputTokens: 20, outputTokens: 9 });
        else expect(result.metrics.outputTokens).toBeGreaterThan(0);
      },
    );

    for (const status of CONTRACT_STATUSES) {
      const expected = EXPECTED_BY_STATUS[status] as { code: string; retryable: boolean };
      const name = `HTTP ${status} → ${expected.code}, ${expected.retryable ? 'retried up to maxRetries' : 'not retried'}`;
      const body = async () => {
        fakeTime();
        script({ type: 'error', status }, { type: 'error', status });
        const pending = executor({ ...policy, maxRetries: 1 }).execute(run());
        await until(() => requests().length >= 1, 'the first request');
        await vi.advanceTimersByTimeAsync(100);
        const result = await pending;
        expect(result).toMatchObject({
          status: 'failed',
          error: { code: expected.code, retryable: expected.retryable },
        });
        expect({ attempts: result.metrics.attempts, requests: requests().length }).toEqual(
          expected.retryable ? { attempts: 2, requests: 2 } : { attempts: 1, requests: 1 },
        );
      };
      if (supports.statuses.includes(status)) test.it(name, body);
      else test.it.skip(`${name} [skipped: the harness cannot script HTTP ${status}]`, body);
    }

    it('retry-after is honoured: the retry waits exactly the server delay', ['retryAfter'], async () => {
      fakeTime();
      const retries: RetryState[] = [];
      script({ type: 'error', status: 429, retryAfterSeconds: 2 }, { type: 'text', chunks: ['finally'] });
      const pending = executor(policy, { retries }).execute(run());
      await until(() => retries.length === 1, 'the retry');
      expect(
        retries.map((state) => ({ attempt: state.attempt, delayMs: state.delayMs, code: state.error.code })),
      ).toEqual([{ attempt: 1, delayMs: 2000, code: 'rate_limited' }]);
      await vi.advanceTimersByTimeAsync(1999);
      expect(requests().length).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(await pending).toMatchObject({ status: 'succeeded', output: 'finally', metrics: { attempts: 2 } });
      expect(requests().length).toBe(2);
    });

    it('a retry-after above maxRetryAfterMs fails at once', ['retryAfter'], async () => {
      script({ type: 'error', status: 429, retryAfterSeconds: 120 });
      const result = await executor({ ...policy, maxRetryAfterMs: 5000 }).execute(run());
      expect(result).toMatchObject({ status: 'failed', error: { code: 'rate_limited', retryAfterMs: 120_000 } });
      expect(requests().length).toBe(1);
    });

    it('server errors every time: 1 + maxRetries attempts with exponential backoff', [], async () => {
      fakeTime();
      const retries: RetryState[] = [];
      script({ type: 'error', status: 503 }, { type: 'error', status: 503 }, { type: 'error', status: 503 });
      const pending = executor(policy, { retries }).execute(run());
      await until(() => retries.length === 1, 'the first retry');
      await vi.advanceTimersByTimeAsync(100);
      await until(() => retries.length === 2, 'the second retry');
      await vi.advanceTimersByTimeAsync(200);
      const result = await pending;
      expect(retries.map((state) => state.delayMs)).toEqual([100, 200]);
      expect(result).toMatchObject({ status: 'failed', error: { code: 'provider_error' }, metrics: { attempts: 3 } });
      expect(requests().length).toBe(3);
    });

    it(
      'total timeout: a server that never answers is aborted and the run fails with timeout',
      ['timeouts'],
      async () => {
        fakeTime();
        script({ type: 'hang' });
        const pending = executor({ ...policy, maxRetries: 0, timeoutMs: { live: 1000, mock: 1000 } }).execute(run());
        await until(() => requests().length === 1, 'the request');
        await vi.advanceTimersByTimeAsync(1000);
        expect(await pending).toMatchObject({ status: 'failed', error: { code: 'timeout' }, metrics: { attempts: 1 } });
        await until(() => closed(0), 'the server to see the request closed');
      },
    );

    it(
      'first-output timeout: a slow first byte is aborted and the run fails with timeout',
      ['timeouts', 'stream'],
      async () => {
        fakeTime();
        script({ type: 'text', chunks: ['late'], firstByteDelayMs: 60_000 });
        const timeouts = { totalMs: 30_000, firstOutputMs: 500 };
        const events: ExecutionEvent[] = [];
        const done = collect(
          executor({ ...policy, maxRetries: 0, timeoutMs: { live: timeouts, mock: timeouts } }).stream(run()),
          (event) => events.push(event),
        );
        await until(() => requests().length === 1, 'the request');
        await vi.advanceTimersByTimeAsync(500);
        expect(finalResult(await done)).toMatchObject({ status: 'failed', error: { code: 'timeout' }, output: null });
        expect(deltasOf(events)).toEqual([]);
        await until(() => closed(0), 'the server to see the request closed');
      },
    );

    it(
      'idle timeout mid-stream: partial output kept, not retried, the request closed',
      ['timeouts', 'stream'],
      async () => {
        fakeTime();
        script({ type: 'text', chunks: ['first', ' second'], chunkDelayMs: 60_000 });
        const timeouts = { totalMs: 30_000, idleMs: 500 };
        const events: ExecutionEvent[] = [];
        const done = collect(
          executor({ ...policy, timeoutMs: { live: timeouts, mock: timeouts } }).stream(run()),
          (event) => events.push(event),
        );
        await until(() => deltasOf(events).length > 0, 'the first delta');
        await vi.advanceTimersByTimeAsync(500);
        const result = finalResult(await done);
        expect(result).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
        expectPartial(result, events, 'first second');
        expect(requests().length).toBe(1);
        await until(() => closed(0), 'the server to see the stream closed');
      },
    );

    it(
      'an error inside the stream after output: failed, partial output kept, not retried',
      ['streamErrors', 'stream'],
      async () => {
        script({ type: 'stream-error', chunks: ['cut', ' off'] }, { type: 'text', chunks: ['never'] });
        const events = await collect(executor().stream(run()));
        const result = finalResult(events);
        expect(result.output).toBe(deltasOf(events).join(''));
        // The output kept is what was streamed: all of it, or the part before the break.
        expect(result).toMatchObject({ status: 'failed', error: { code: 'provider_error' } });
        expect(
          typeof result.output === 'string' && result.output.length > 0 && 'cut off'.startsWith(result.output),
        ).toBe(true);
        expect(result.metrics.attempts).toBe(1);
        expect(requests().length).toBe(1);
      },
    );

    it('cancel mid-stream: status cancelled, partial output kept, the request closed', ['stream'], async () => {
      script({ type: 'text', chunks: ['partial', ' rest'], chunkDelayMs: 60_000 });
      const controller = new AbortController();
      const events = await collect(executor().stream({ ...run(), signal: controller.signal }), (event) => {
        if (event.type === 'output-delta') controller.abort();
      });
      expect(events.at(-1)).toMatchObject({
        type: 'execution-error',
        error: { code: 'cancelled' },
        result: { status: 'cancelled' },
      });
      expectPartial(finalResult(events), events, 'partial rest');
      await until(() => closed(0), 'the server to see the stream closed');
    });

    describeToolCases(harness, test, it);

    const secret = harness.secret;
    const secretCase = async () => {
      if (secret === undefined) return;
      const lines: string[] = [];
      script(
        { type: 'error', status: 401, message: `Incorrect API key provided: ${secret}` },
        { type: 'error', status: 400, message: `Authorization: Bearer ${secret} is not valid here` },
        { type: 'text', chunks: [`echo of ${secret}`] },
      );
      const executorWithLog = executor({ ...policy, maxRetries: 0 }, { lines });
      const results: ExecutionResult[] = [];
      for (let index = 0; index < 3; index += 1) results.push(await executorWithLog.execute(run()));
      expect(results.map((result) => result.status)).toEqual(['failed', 'failed', 'succeeded']);
      for (const text of [...lines, JSON.stringify(results)]) expect(text).not.toContain(secret);
    };
    if (secret === undefined)
      test.it.skip('secrets never reach a record or a log line [skipped: the harness has no secret]', secretCase);
    else test.it('secrets never reach a record or a log line', secretCase);
  });
}
