import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineAgent, type MockStep } from '../agent';
import { AgentryError } from '../errors';
import { defineTool, hasToolCall, type StopCondition, type StopWhen, stepCountIs } from '../tools';
import { createExecutor } from './create-executor';
import type { ExecutionEvent, ExecutorOptions } from './types';

const tenant = { tenantId: 'ws_a', userId: 'u1' };

const lookupOrder = defineTool({
  description: 'Looks up an order.',
  input: z.object({ id: z.string() }),
  execute: ({ id }) => ({ id, status: 'shipped' }),
});
const escalate = defineTool({
  description: 'Hands the conversation to a human.',
  input: z.object({ reason: z.string() }),
  execute: () => ({ ticket: 'T-1' }),
});

// A model that looks up three orders, escalates, then answers: five steps when nothing stops it.
const script: MockStep<string>[] = [
  { toolCalls: [{ name: 'lookupOrder', args: { id: '1' } }] },
  { text: 'Checking another.', toolCalls: [{ name: 'lookupOrder', args: { id: '2' } }] },
  { toolCalls: [{ name: 'lookupOrder', args: { id: '3' } }] },
  { text: 'A human will help.', toolCalls: [{ name: 'escalate', args: { reason: 'late' } }] },
  { text: 'All done.' },
];

function support(stopWhen?: StopWhen, extra: { maxSteps?: number } = {}) {
  return defineAgent({
    id: 'support',
    name: 'Support',
    input: z.object({}),
    prompt: () => 'Where are my orders?',
    tools: { lookupOrder, escalate },
    mock: { steps: script },
    ...(stopWhen === undefined ? {} : { stopWhen }),
    ...extra,
  });
}

function run(agent: ReturnType<typeof support>, options: Omit<ExecutorOptions, 'agents'> = {}) {
  return createExecutor({ agents: [agent], ...options }).execute({ agentId: 'support', input: {}, tenant });
}

describe('stopWhen', () => {
  it('stepCountIs(n) ends the run successfully after n steps, with their tools run and every step kept', async () => {
    const result = await run(support(stepCountIs(2)));
    expect(result.status).toBe('succeeded');
    expect(result.steps).toHaveLength(2);
    // The output is the last step's text; the model was still calling tools, and the record says so.
    expect(result.output).toBe('Checking another.');
    expect(result.metrics.finishReason).toBe('tool_calls');
    expect(result.steps?.[1]?.toolResults).toEqual([
      expect.objectContaining({ name: 'lookupOrder', status: 'succeeded', output: { id: '2', status: 'shipped' } }),
    ]);
    expect(result.metrics.attempts).toBe(2);
  });

  it('hasToolCall(name) stops after the step that called that tool', async () => {
    const result = await run(support(hasToolCall('escalate')));
    expect(result.status).toBe('succeeded');
    expect(result.steps?.map((step) => step.toolCalls.map((call) => call.name))).toEqual([
      ['lookupOrder'],
      ['lookupOrder'],
      ['lookupOrder'],
      ['escalate'],
    ]);
    expect(result.output).toBe('A human will help.');
    expect(result.steps?.at(-1)?.toolResults[0]).toMatchObject({ status: 'succeeded', output: { ticket: 'T-1' } });
  });

  it('stops on the first of several conditions that holds', async () => {
    const result = await run(support([hasToolCall('escalate'), stepCountIs(3)]));
    expect(result.status).toBe('succeeded');
    expect(result.steps).toHaveLength(3);
  });

  it('asks a predicate with the steps so far (redacted records), after each step whose tools ran', async () => {
    const seen: number[][] = [];
    const condition: StopCondition = async ({ steps }) => {
      seen.push(steps.map((step) => step.index));
      return steps.at(-1)?.toolResults.some((result) => result.status === 'succeeded' && result.name === 'x') ?? false;
    };
    const result = await run(support(condition));
    // Never asked after the answer (step 5 called no tools): the loop ended there on its own.
    expect(seen).toEqual([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]);
    expect(result.status).toBe('succeeded');
    expect(result.output).toBe('All done.');
    expect(result.metrics.finishReason).toBe('stop');
  });

  it("takes the executor's stopWhen for agents without one, and the agent's over it", async () => {
    const byExecutor = await run(support(), { stopWhen: stepCountIs(1) });
    expect(byExecutor.steps).toHaveLength(1);
    const byAgent = await run(support(stepCountIs(3)), { stopWhen: stepCountIs(1) });
    expect(byAgent.steps).toHaveLength(3);
  });

  it('lets a condition end the run on the maxSteps step (its tools run); otherwise max_steps_reached as before', async () => {
    const stopped = await run(support(stepCountIs(3), { maxSteps: 3 }));
    expect(stopped.status).toBe('succeeded');
    expect(stopped.steps).toHaveLength(3);
    expect(stopped.steps?.[2]?.toolResults).toHaveLength(1);

    const notYet = await run(support(hasToolCall('escalate'), { maxSteps: 3 }));
    expect(notYet).toMatchObject({ status: 'failed', error: { code: 'max_steps_reached' } });
    expect(notYet.steps).toHaveLength(3);

    // Without a condition the last step's tools do not run: no model would see their results.
    const plain = await run(support(undefined, { maxSteps: 3 }));
    expect(plain).toMatchObject({ status: 'failed', error: { code: 'max_steps_reached' } });
    expect(plain.steps?.[2]?.toolResults).toEqual([]);
  });

  it('streams the stopped run like any other: step events in order, the final record last', async () => {
    const executor = createExecutor({ agents: [support(stepCountIs(1))] });
    const events: ExecutionEvent[] = [];
    for await (const event of executor.stream({ agentId: 'support', input: {}, tenant })) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'execution-start',
      'step-start',
      'usage',
      'tool-call',
      'tool-result',
      'step-finish',
      'execution-finish',
    ]);
    const last = events.at(-1);
    expect(last?.type === 'execution-finish' && last.result.steps).toHaveLength(1);
  });

  it('fails the run when a condition throws: its own words only in the log, an AgentryError keeps its code', async () => {
    const error = vi.fn();
    const logger = { debug() {}, info() {}, warn() {}, error };
    const broken = await run(
      support(() => {
        throw new Error('db password=hunter2 leaked');
      }),
      { logger },
    );
    expect(broken).toMatchObject({ status: 'failed', error: { code: 'internal' } });
    expect(JSON.stringify(broken)).not.toContain('hunter2');
    expect(broken.steps).toHaveLength(1);
    expect(error).toHaveBeenCalled();

    const deliberate = await run(
      support(() => {
        throw new AgentryError('limit_exceeded', 'This workspace may not run more lookups today.');
      }),
    );
    expect(deliberate).toMatchObject({
      status: 'failed',
      error: { code: 'limit_exceeded', message: 'This workspace may not run more lookups today.' },
    });
  });

  it('refuses a stopWhen that is not a condition, and impossible helper arguments, at definition time', () => {
    expect(() => support('three' as never)).toThrow(/stopWhen must be a stop condition/);
    expect(() => support([stepCountIs(2), 3] as never)).toThrow(/stopWhen\[1\] must be a stop condition/);
    expect(() => createExecutor({ stopWhen: {} as never })).toThrow(/createExecutor: stopWhen must be/);
    expect(() => stepCountIs(0)).toThrow(/whole number >= 1/);
    expect(() => stepCountIs(1.5)).toThrow(/whole number >= 1/);
    expect(() => hasToolCall('')).toThrow(/tool's name/);
  });
});
