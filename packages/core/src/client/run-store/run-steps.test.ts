import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  AgentryError,
  createExecutor,
  defineAgent,
  defineTool,
  type ExecutionEvent,
  type ExecutionStep,
  serializeError,
} from '../../index';
import { createRunStore } from './create-run-store';
import { applyStepEvent, type RunStep, runSteps, stepsFromRecord } from './run-steps';

const usage = { inputTokens: 10, outputTokens: 5, totalTokens: 15 } as ExecutionStep['usage'];
const id = 'exe_1';

function fold(events: ExecutionEvent[]): readonly RunStep[] {
  return events.reduce<readonly RunStep[]>((steps, event) => applyStepEvent(steps, event), []);
}

const lookupCall = { id: 'call_1', name: 'lookupTicket', args: { ticketId: 'T-1' } };
const lookupResult = {
  id: 'call_1',
  name: 'lookupTicket',
  durationMs: 12,
  status: 'succeeded' as const,
  output: { subject: 'Refund' },
};
const firstStep: ExecutionStep = {
  index: 0,
  text: '',
  toolCalls: [lookupCall],
  toolResults: [lookupResult],
  usage,
  durationMs: 40,
  finishReason: 'tool_calls',
};

describe('applyStepEvent', () => {
  it('streams a step: running with its call, then the result, then finished with the step’s figures', () => {
    const started = fold([{ type: 'step-start', executionId: id, index: 0 }]);
    expect(started).toEqual([{ index: 0, status: 'running', text: '', calls: [] }]);

    const called = applyStepEvent(started, { type: 'tool-call', executionId: id, stepIndex: 0, toolCall: lookupCall });
    expect(called[0]?.calls).toEqual([{ call: lookupCall, status: 'running' }]);
    // The fold never changes what it was given: a UI can keep the old snapshot.
    expect(started[0]?.calls).toEqual([]);

    const answered = applyStepEvent(called, {
      type: 'tool-result',
      executionId: id,
      stepIndex: 0,
      toolResult: lookupResult,
    });
    expect(answered[0]?.calls).toEqual([{ call: lookupCall, result: lookupResult, status: 'succeeded' }]);
    expect(answered[0]?.status).toBe('running');

    const finished = applyStepEvent(answered, { type: 'step-finish', executionId: id, step: firstStep });
    expect(finished).toEqual([
      {
        index: 0,
        status: 'finished',
        text: '',
        calls: [{ call: lookupCall, result: lookupResult, status: 'succeeded' }],
        usage,
        durationMs: 40,
        finishReason: 'tool_calls',
      },
    ]);
  });

  it('adds output deltas to the running step’s text only', () => {
    const steps = fold([
      { type: 'output-delta', executionId: id, delta: 'before any step ' },
      { type: 'step-start', executionId: id, index: 0 },
      { type: 'output-delta', executionId: id, delta: 'Hello ' },
      { type: 'output-delta', executionId: id, delta: 'there.' },
    ]);
    expect(steps.map((step) => step.text)).toEqual(['Hello there.']);
  });

  it('shows a failed tool with its error code', () => {
    const error = serializeError(new AgentryError('tool_failed', 'The tool failed.'));
    const steps = fold([
      { type: 'step-start', executionId: id, index: 0 },
      { type: 'tool-call', executionId: id, stepIndex: 0, toolCall: lookupCall },
      {
        type: 'tool-result',
        executionId: id,
        stepIndex: 0,
        toolResult: { id: 'call_1', name: 'lookupTicket', durationMs: 7, status: 'failed', error },
      },
    ]);
    expect(steps[0]?.calls[0]).toMatchObject({ status: 'failed', result: { error: { code: 'tool_failed' } } });
  });

  it('ignores a repeated start or call, and shows a result whose call it never saw', () => {
    const steps = fold([
      { type: 'step-start', executionId: id, index: 0 },
      { type: 'step-start', executionId: id, index: 0 },
      { type: 'tool-call', executionId: id, stepIndex: 0, toolCall: lookupCall },
      { type: 'tool-call', executionId: id, stepIndex: 0, toolCall: lookupCall },
      {
        type: 'tool-result',
        executionId: id,
        stepIndex: 0,
        toolResult: { ...lookupResult, id: 'call_9', name: 'draftReply' },
      },
    ]);
    expect(steps).toHaveLength(1);
    expect(steps[0]?.calls.map((call) => [call.call.name, call.status])).toEqual([
      ['lookupTicket', 'running'],
      ['draftReply', 'succeeded'],
    ]);
  });

  it('closes what was running when the run ends without steps in its record', () => {
    const error = serializeError(new AgentryError('timeout', 'Too slow.'));
    const steps = fold([
      { type: 'step-start', executionId: id, index: 0 },
      { type: 'tool-call', executionId: id, stepIndex: 0, toolCall: lookupCall },
      {
        type: 'execution-error',
        executionId: id,
        error,
        result: {
          id,
          agentId: 'a',
          mode: 'mock',
          requestedMode: 'mock',
          tenantId: 't',
          input: {},
          status: 'failed',
          output: null,
          error,
          metrics: {} as never,
          startedAt: '',
          finishedAt: '',
        },
      },
    ]);
    expect(steps).toMatchObject([{ status: 'stopped', calls: [{ status: 'not-run' }] }]);
  });
});

describe('runSteps', () => {
  it('closes a step still running when the run ended without its record (a lost stream)', () => {
    const events: ExecutionEvent[] = [
      { type: 'step-start', executionId: id, index: 0 },
      { type: 'tool-call', executionId: id, stepIndex: 0, toolCall: lookupCall },
    ];
    expect(runSteps({ events, status: 'streaming' })).toMatchObject([
      { status: 'running', calls: [{ status: 'running' }] },
    ]);
    expect(runSteps({ events, status: 'failed' })).toMatchObject([
      { status: 'stopped', calls: [{ status: 'not-run' }] },
    ]);
    expect(runSteps({ events: [], status: 'succeeded' })).toEqual([]);
  });
});

describe('stepsFromRecord', () => {
  it('reads a record’s steps: finished ones, and a last step whose calls did not run as stopped', () => {
    const lastStep: ExecutionStep = {
      index: 1,
      text: '',
      toolCalls: [{ id: 'call_2', name: 'draftReply', args: {} }],
      toolResults: [],
      usage,
      durationMs: 20,
      finishReason: 'tool_calls',
    };
    const steps = stepsFromRecord([firstStep, lastStep]);
    expect(steps.map((step) => step.status)).toEqual(['finished', 'stopped']);
    expect(steps[1]?.calls[0]?.status).toBe('not-run');
    expect(stepsFromRecord(undefined)).toEqual([]);
  });
});

describe('the run store folds a tool run’s steps', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const lookupTicket = defineTool({
    description: 'Finds a ticket.',
    input: z.object({ ticketId: z.string() }),
    execute: ({ ticketId }) => ({ ticketId, subject: 'Refund' }),
  });
  const sendEmail = defineTool({
    description: 'Sends an email.',
    input: z.object({ to: z.string() }),
    execute: () => {
      throw new AgentryError('tool_failed', 'The mail server refused.');
    },
  });
  const support = defineAgent({
    id: 'support',
    name: 'Support',
    input: z.object({ ticketId: z.string() }),
    prompt: ({ ticketId }) => `Answer ${ticketId}.`,
    tools: { lookupTicket, sendEmail },
    mock: {
      steps: [
        { toolCalls: [{ name: 'lookupTicket', args: { ticketId: 'T-1' } }] },
        { toolCalls: [{ name: 'sendEmail', args: { to: 'a@b.c' } }] },
        { text: 'Looked it up; the email could not be sent.' },
      ],
    },
  });

  it('reads each step from the events while it runs, and the record’s steps at the end', async () => {
    const executor = createExecutor({ agents: [support] });
    const store = createRunStore({ streamThrottleMs: 0 });
    store.connect(executor.forTenant({ tenantId: 't1' }));
    const seen: string[] = [];
    store.subscribe(() => {
      const { current } = store.getSnapshot();
      const steps = current ? runSteps(current) : [];
      const shape = steps.map((step) => `${step.index}:${step.status}[${step.calls.map((call) => call.status)}]`);
      if (shape.join(' ') !== seen.at(-1)) seen.push(shape.join(' '));
    });
    await vi.advanceTimersByTimeAsync(0);
    const done = store.run({ agentId: 'support', input: { ticketId: 'T-1' } });
    await vi.advanceTimersByTimeAsync(5000);
    const entry = await done;
    expect(entry?.status).toBe('succeeded');
    expect(seen).toContain('0:running[running]');
    expect(seen).toContain('0:finished[succeeded] 1:running[failed]');
    const { current, result } = store.getSnapshot();
    const steps = runSteps(current as NonNullable<typeof current>);
    expect(steps.map((step) => step.status)).toEqual(['finished', 'finished', 'finished']);
    expect(steps[1]?.calls[0]?.result).toMatchObject({ status: 'failed', error: { code: 'tool_failed' } });
    expect(steps).toEqual(stepsFromRecord(result?.steps));
    // Without the record, the events alone give the same timeline.
    expect(runSteps({ ...(current as NonNullable<typeof current>), result: undefined })).toEqual(steps);
  });

  it('reads a real record’s steps (a run restored from the server history has only its record)', async () => {
    const executor = createExecutor({ agents: [support] });
    const done = executor.execute({ agentId: 'support', input: { ticketId: 'T-1' }, tenant: { tenantId: 't1' } });
    await vi.advanceTimersByTimeAsync(5000);
    const record = await done;
    const steps = stepsFromRecord(record.steps);
    expect(steps.map((step) => step.calls.map((call) => `${call.call.name}:${call.status}`))).toEqual([
      ['lookupTicket:succeeded'],
      ['sendEmail:failed'],
      [],
    ]);
    expect(steps.at(-1)?.text).toBe('Looked it up; the email could not be sent.');
  });
});
