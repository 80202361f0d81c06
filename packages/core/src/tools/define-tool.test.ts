import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineAgent } from '../agent';
import { defineTool, isTool } from './define-tool';

const base = { description: 'Does a thing.', input: z.object({}), execute: () => 1 };

describe('defineTool', () => {
  it('freezes a tool with its modes and retry options', () => {
    const tool = defineTool({ ...base, retry: 2 });
    expect(isTool(tool)).toBe(true);
    expect(Object.isFrozen(tool)).toBe(true);
    expect(tool.modes).toEqual(['mock', 'live']);
    expect(tool.retry).toEqual({ maxRetries: 2 });
  });

  it.each([
    [{ ...base, name: 'has space' }, /name must be 1-64/],
    [{ ...base, description: ' ' }, /description is required/],
    [{ ...base, input: {} }, /input must be a zod schema/],
    [{ ...base, execute: 'x' }, /execute must be a function/],
    [{ ...base, modes: [] }, /modes must list/],
    [{ ...base, retry: -1 }, /retry must be/],
    [{ ...base, mock: 1 }, /mock must be a function/],
  ])('says what to fix for bad options (%#)', (config, message) => {
    expect(() => defineTool(config as never)).toThrow(message);
  });

  it('refuses tools an agent cannot offer: not from defineTool, a bad or a duplicate name', () => {
    const agent = (tools: unknown) => () =>
      defineAgent({ id: 'a', name: 'A', input: z.object({}), prompt: () => 'x', tools: tools as never });
    expect(agent({ one: { description: 'x' } })).toThrow(/tools.one must come from defineTool/);
    expect(agent({ 'bad name': defineTool(base) })).toThrow(/tool name "bad name" is invalid/);
    expect(agent({ a: defineTool({ ...base, name: 'same' }), b: defineTool({ ...base, name: 'same' }) })).toThrow(
      /two tools are named "same"/,
    );
    expect(agent([defineTool(base)])).toThrow(/tools must be an object/);
  });
});
