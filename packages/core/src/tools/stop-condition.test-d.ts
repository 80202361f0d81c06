import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  createExecutor,
  defineAgent,
  defineTool,
  type ExecutionStep,
  hasToolCall,
  type StopCondition,
  type StopConditionStep,
  stepCountIs,
} from '../index';

const lookupOrder = defineTool({
  description: 'Looks up an order.',
  input: z.object({ id: z.string() }),
  execute: ({ id }) => ({ id }),
});

describe('stopWhen types', () => {
  it('gives a predicate the steps, the way the record keeps them', () => {
    const condition: StopCondition = ({ steps }) => {
      expectTypeOf(steps).toEqualTypeOf<readonly StopConditionStep[]>();
      const last = steps.at(-1);
      expectTypeOf(last?.toolCalls[0]?.name).toEqualTypeOf<string | undefined>();
      const result = last?.toolResults[0];
      if (result?.status === 'failed') expectTypeOf(result.error.code).toEqualTypeOf<string>();
      return steps.length > 2;
    };
    // The record's steps are what a condition is asked with.
    expectTypeOf<ExecutionStep>().toExtend<StopConditionStep>();
    expectTypeOf(stepCountIs(3)).toEqualTypeOf<StopCondition>();
    defineAgent({
      id: 'a',
      name: 'A',
      input: z.object({}),
      prompt: () => 'go',
      tools: { lookupOrder },
      stopWhen: [condition, stepCountIs(3), hasToolCall('lookupOrder'), async () => false],
    });
    createExecutor({ stopWhen: hasToolCall('lookupOrder') });
  });

  it('refuses what is not a condition', () => {
    defineAgent({
      id: 'a',
      name: 'A',
      input: z.object({}),
      prompt: () => 'go',
      tools: { lookupOrder },
      // @ts-expect-error a stop condition answers a boolean
      stopWhen: () => 'yes',
    });
    // @ts-expect-error a number is not a condition: use stepCountIs(3)
    createExecutor({ stopWhen: 3 });
  });
});
