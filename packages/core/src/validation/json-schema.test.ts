import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type JsonSchema, validateJsonSchema } from './json-schema';
import { defaultsFromSchema } from './schema-defaults';

function schemaOf(type: z.ZodType): JsonSchema {
  return z.toJSONSchema(type, { io: 'input' }) as JsonSchema;
}

/** The validator must agree with zod on whether a value is valid. */
function agrees(type: z.ZodType, value: unknown): void {
  const issues = validateJsonSchema(schemaOf(type), value);
  expect(issues.length === 0, JSON.stringify({ value, issues })).toBe(type.safeParse(value).success);
}

const summarize = z.object({
  text: z.string().min(1).max(20),
  style: z.enum(['brief', 'detailed']).default('brief'),
  count: z.number().int().min(0).optional(),
});

describe('validateJsonSchema', () => {
  it('accepts valid input and reports each problem at its path', () => {
    const schema = schemaOf(summarize);
    expect(validateJsonSchema(schema, { text: 'hello' })).toEqual([]);
    expect(validateJsonSchema(schema, { text: '', style: 'long', count: 1.5 })).toEqual([
      { path: ['text'], code: 'too_small', message: 'Must not be empty.' },
      { path: ['style'], code: 'invalid_value', message: 'Must be one of "brief", "detailed".' },
      { path: ['count'], code: 'invalid_type', message: 'Expected integer, got number.' },
    ]);
    expect(validateJsonSchema(schema, {})).toEqual([
      { path: ['text'], code: 'required', message: 'Required: string.' },
    ]);
    expect(validateJsonSchema(schema, [])).toEqual([
      { path: [], code: 'invalid_type', message: 'Expected object, got array.' },
    ]);
  });

  it('reports nested array items and tuple positions', () => {
    const schema = schemaOf(
      z.object({ items: z.array(z.object({ name: z.string() })).max(2), pair: z.tuple([z.string(), z.number()]) }),
    );
    expect(validateJsonSchema(schema, { items: [{ name: 'a' }, { name: 3 }, {}], pair: ['a', 'b', 'c'] })).toEqual([
      { path: ['items'], code: 'too_big', message: 'Must have at most 2 items.' },
      { path: ['items', 1, 'name'], code: 'invalid_type', message: 'Expected string, got number.' },
      { path: ['items', 2, 'name'], code: 'required', message: 'Required: string.' },
      { path: ['pair'], code: 'too_big', message: 'Must have at most 2 items.' },
      { path: ['pair', 1], code: 'invalid_type', message: 'Expected number, got string.' },
      { path: ['pair', 2], code: 'too_big', message: 'Unexpected item: at most 2 allowed.' },
    ]);
  });

  it('checks formats with one message each, not format and pattern twice', () => {
    const schema = schemaOf(z.object({ email: z.email(), site: z.url(), id: z.uuid(), at: z.iso.datetime() }));
    expect(validateJsonSchema(schema, { email: 'nope', site: 'example', id: '42', at: 'yesterday' })).toEqual([
      { path: ['email'], code: 'invalid_format', message: 'Must be a valid email address.' },
      { path: ['site'], code: 'invalid_format', message: 'Must be a valid URL, e.g. https://example.com.' },
      { path: ['id'], code: 'invalid_format', message: 'Must be a UUID.' },
      {
        path: ['at'],
        code: 'invalid_format',
        message: 'Must be an ISO 8601 date and time, e.g. 2025-01-31T09:30:00Z.',
      },
    ]);
  });

  it('reports the union branch the value was meant for, and nullable types', () => {
    const schema = schemaOf(
      z.object({ value: z.union([z.string().min(3), z.number()]), note: z.string().nullable(), kind: z.literal('a') }),
    );
    expect(validateJsonSchema(schema, { value: 'ab', note: null, kind: 'a' })).toEqual([
      { path: ['value'], code: 'too_small', message: 'Must be at least 3 characters.' },
    ]);
    expect(validateJsonSchema(schema, { value: true, note: 1, kind: 'b' })).toEqual([
      { path: ['value'], code: 'invalid_union', message: 'Expected string or number, got boolean.' },
      { path: ['note'], code: 'invalid_type', message: 'Expected string or null, got number.' },
      { path: ['kind'], code: 'invalid_value', message: 'Must be "a".' },
    ]);
  });

  it('follows local $ref into $defs, including recursion', () => {
    const schema: JsonSchema = {
      $defs: {
        node: {
          type: 'object',
          properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } },
          required: ['children'],
        },
      },
      $ref: '#/$defs/node',
    };
    expect(validateJsonSchema(schema, { children: [{ children: [] }, { children: [{}] }] })).toEqual([
      { path: ['children', 1, 'children', 0, 'children'], code: 'required', message: 'Required: array.' },
    ]);
  });

  it('agrees with zod on a range of schemas and values', () => {
    const strict = z.strictObject({ a: z.string() });
    agrees(strict, { a: 'x' });
    agrees(strict, { a: 'x', b: 1 });
    const numbers = z.number().multipleOf(0.1).gt(0).lte(10);
    for (const value of [0.3, 0, 10, 10.05, -1, '1']) agrees(numbers, value);
    const unique = z.array(z.number()).min(1);
    for (const value of [[], [1, 2], ['a']]) agrees(unique, value);
    const record = z.record(z.string(), z.number());
    for (const value of [{ a: 1 }, { a: 'x' }, null]) agrees(record, value);
    const either = z.discriminatedUnion('type', [
      z.object({ type: z.literal('text'), text: z.string() }),
      z.object({ type: z.literal('image'), url: z.url() }),
    ]);
    for (const value of [
      { type: 'text', text: 'hi' },
      { type: 'image', url: 'https://x.io' },
      { type: 'image', url: 'no' },
      { type: 'other' },
    ]) {
      agrees(either, value);
    }
    const emoji = z.string().max(2);
    agrees(emoji, '👍👍');
  });

  it('checks uniqueItems, exclusive bounds and boolean schemas', () => {
    expect(validateJsonSchema({ type: 'array', uniqueItems: true }, [1, { a: 1 }, { a: 1 }])).toEqual([
      { path: [2], code: 'not_unique', message: 'Duplicates item 1.' },
    ]);
    expect(validateJsonSchema({ exclusiveMinimum: 0, exclusiveMaximum: 1 }, 1)).toEqual([
      { path: [], code: 'too_big', message: 'Must be less than 1.' },
    ]);
    expect(validateJsonSchema(true, 'anything')).toEqual([]);
    expect(validateJsonSchema(false, 'anything')).toHaveLength(1);
  });
});

describe('defaultsFromSchema', () => {
  it('fills required fields and declared defaults, leaving optional ones out', () => {
    expect(defaultsFromSchema(schemaOf(summarize))).toEqual({ text: '', style: 'brief' });
  });

  it('builds placeholders for formats, numbers, enums, tuples and nested objects', () => {
    const schema = schemaOf(
      z.object({
        email: z.email(),
        when: z.iso.datetime(),
        size: z.number().int().min(5),
        level: z.enum(['low', 'high']),
        flag: z.boolean(),
        pair: z.tuple([z.string(), z.number()]),
        nested: z.object({ tags: z.array(z.string()).min(1) }),
        maybe: z.string().nullable(),
      }),
    );
    const value = defaultsFromSchema(schema);
    expect(value).toEqual({
      email: 'user@example.com',
      when: '2025-01-01T00:00:00Z',
      size: 5,
      level: 'low',
      flag: false,
      pair: ['', 0],
      nested: { tags: [''] },
      maybe: '',
    });
    expect(z.object({ email: z.email(), when: z.iso.datetime() }).safeParse(value).success).toBe(true);
  });

  it('answers an empty object for an empty schema and stops on recursion', () => {
    expect(defaultsFromSchema({})).toEqual({});
    const recursive: JsonSchema = {
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' } }, required: ['child'] } },
      $ref: '#/$defs/node',
    };
    expect(typeof defaultsFromSchema(recursive)).toBe('object');
  });
});

describe('validateJsonSchema on deeply nested values', () => {
  /** Arrays nested `depth` levels deep around `leaf`, built without recursion. */
  function deep(depth: number, leaf: unknown = 1): unknown {
    let value = leaf;
    for (let level = 0; level < depth; level += 1) value = [value];
    return value;
  }

  it('compares 20k-deep items for uniqueItems without exhausting the stack', () => {
    const schema: JsonSchema = { type: 'array', uniqueItems: true };
    expect(validateJsonSchema(schema, [deep(20_000), deep(20_000)])).toEqual([
      { path: [1], code: 'not_unique', message: 'Duplicates item 0.' },
    ]);
    expect(validateJsonSchema(schema, [deep(20_000, 1), deep(20_000, 2)])).toEqual([]);
  });

  it('checks a deep value against const and enum without exhausting the stack', () => {
    expect(validateJsonSchema({ const: deep(3) }, deep(100_000))).toMatchObject([{ code: 'invalid_value' }]);
    expect(validateJsonSchema({ enum: [deep(50_000)] }, deep(50_000))).toEqual([]);
  });

  it('ends on two values that contain themselves', () => {
    const left: unknown[] = [];
    left.push(left);
    const right: unknown[] = [];
    right.push(right);
    expect(validateJsonSchema({ type: 'array', uniqueItems: true }, [left, right])).toMatchObject([
      { code: 'not_unique' },
    ]);
  });

  it('validates a 10k-deep value against a recursive schema (z.json()) without throwing', () => {
    const schema = schemaOf(z.json());
    expect(() => validateJsonSchema(schema, deep(10_000))).not.toThrow();
  });
});
