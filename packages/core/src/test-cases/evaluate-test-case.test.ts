import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../protocol';
import { evaluateTestCase } from './evaluate-test-case';
import { runTestCases } from './run-test-cases';

function run(output: unknown, metrics: Partial<ExecutionResult['metrics']> = {}): ExecutionResult {
  return {
    id: 'exe_1',
    agentId: 'summarize',
    tenantId: 'acme',
    mode: 'mock',
    requestedMode: 'mock',
    status: 'succeeded',
    input: {},
    output,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    metrics: {
      durationMs: 120,
      timeToFirstOutputMs: 10,
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0.0002,
      provider: 'mock',
      model: 'mock',
      attempts: 1,
      simulated: true,
      ...metrics,
    },
  } as ExecutionResult;
}

const failed = {
  ...run(null),
  status: 'failed',
  output: null,
  error: {
    code: 'output_invalid',
    message: 'The output is not valid.',
    userMessage: 'x',
    retryable: false,
    status: 502,
  },
} as ExecutionResult;

const schema = {
  type: 'object',
  properties: { summary: { type: 'string' }, words: { type: 'integer' } },
  required: ['summary'],
};

describe('evaluateTestCase', () => {
  it('passes a succeeded run with no expectations, and fails a failed one saying why', () => {
    expect(evaluateTestCase({}, run('x'))).toMatchObject({ status: 'passed' });
    const verdict = evaluateTestCase({ equals: 'x' }, failed);
    expect(verdict.status).toBe('failed');
    expect(verdict.status === 'failed' && verdict.failures.map((failure) => failure.message)).toEqual([
      'Expected the run to succeed; it failed (output_invalid): The output is not valid.',
    ]);
  });

  it('equals: what was expected, what came and where', () => {
    const verdict = evaluateTestCase({ equals: { summary: 'Hi', words: 2 } }, run({ summary: 'Hi', words: 3 }));
    expect(verdict).toMatchObject({
      status: 'failed',
      failures: [
        { check: 'equals', path: ['words'], message: 'Expected output.words to be 2, got 3 (a different value).' },
      ],
    });
    expect(evaluateTestCase({ equals: { words: 2, summary: 'Hi' } }, run({ summary: 'Hi', words: 2 })).status).toBe(
      'passed',
    );
    expect(evaluateTestCase({ equals: { summary: 'Hi' } }, run({})).status === 'failed').toBe(true);
    expect(evaluateTestCase({ equals: { summary: 'Hi' } }, run({}))).toMatchObject({
      failures: [{ message: 'Expected output.summary to be "Hi", but the output has no such key.' }],
    });
  });

  it('contains: substrings and partial objects', () => {
    expect(evaluateTestCase({ contains: { summary: 'llo' } }, run({ summary: 'hello', words: 1 })).status).toBe(
      'passed',
    );
    expect(evaluateTestCase({ contains: 'bye' }, run('hello world'))).toMatchObject({
      failures: [{ check: 'contains', message: 'Expected the output to include "bye", got "hello world".' }],
    });
  });

  it('an expected null or false is still checked', () => {
    expect(evaluateTestCase({ equals: null }, run(null)).status).toBe('passed');
    expect(evaluateTestCase({ equals: null }, run(0)).status).toBe('failed');
    expect(evaluateTestCase({ contains: false }, run(true)).status).toBe('failed');
  });

  it('schemaValid checks the output against the output schema, naming the field', () => {
    expect(evaluateTestCase({ schemaValid: true }, run({ summary: 'a' }), { outputSchema: schema }).status).toBe(
      'passed',
    );
    const verdict = evaluateTestCase({ schemaValid: true }, run({ summary: 1 }), { outputSchema: schema });
    expect(verdict).toMatchObject({ status: 'failed', failures: [{ check: 'schemaValid', path: ['summary'] }] });
    expect(verdict.status === 'failed' && verdict.failures[0]?.message).toMatch(
      /^Expected the output to match the output schema: at output\.summary, /,
    );
  });

  it('maxLatencyMs and maxCostUsd, with units; an unknown cost fails', () => {
    expect(evaluateTestCase({ maxLatencyMs: 100 }, run('x', { durationMs: 1500 }))).toMatchObject({
      failures: [{ check: 'maxLatencyMs', message: 'Expected at most 100 ms, took 1.50 s.' }],
    });
    expect(evaluateTestCase({ maxLatencyMs: 1500 }, run('x', { durationMs: 1500 })).status).toBe('passed');
    expect(evaluateTestCase({ maxCostUsd: 0.0001 }, run('x'))).toMatchObject({
      failures: [{ check: 'maxCostUsd', message: 'Expected a simulated cost of at most $0.00010, got $0.00020.' }],
    });
    expect(evaluateTestCase({ maxCostUsd: 1 }, run('x', { costUsd: null }))).toMatchObject({
      failures: [{ message: expect.stringMatching(/cost is unknown/) }],
    });
    // Latency is judged even when the run failed.
    const slowFailure = evaluateTestCase({ maxLatencyMs: 50 }, failed);
    expect(slowFailure.status === 'failed' && slowFailure.failures.map((failure) => failure.check)).toEqual([
      'succeeded',
      'maxLatencyMs',
    ]);
  });
});

describe('runTestCases', () => {
  const base = { tenantId: 'acme', agentId: 'summarize', createdAt: '', updatedAt: '' };
  const cases = [
    { ...base, id: 'tc_1', name: 'passes', input: { text: 'hello' }, expectations: { contains: 'hello' } },
    { ...base, id: 'tc_2', name: 'fails', input: { text: 'bye' }, expectations: { equals: 'hello' } },
    { ...base, id: 'tc_3', name: 'refused', input: { text: '' }, expectations: {} },
  ];

  it('runs each case in order through execute, judges it, and counts', async () => {
    const seen: string[] = [];
    const suite = await runTestCases({
      testCases: cases,
      mode: 'mock',
      execute: async ({ input, mode }) => {
        expect(mode).toBe('mock');
        const text = (input as { text: string }).text;
        if (text === '') throw Object.assign(new Error('empty'), { name: 'Nope' });
        return run(text);
      },
      onOutcome: (outcome, index) => seen.push(`${index}:${outcome.status}`),
    });
    expect(seen).toEqual(['0:passed', '1:failed', '2:error']);
    expect(suite).toMatchObject({ passed: 1, failed: 2, stopped: false });
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const suite = await runTestCases({
      testCases: cases,
      mode: 'mock',
      signal: controller.signal,
      execute: async () => {
        controller.abort();
        throw new Error('aborted');
      },
    });
    expect(suite).toMatchObject({ outcomes: [], stopped: true });
  });
});
