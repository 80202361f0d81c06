import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { type JsonSchema, validateJsonSchema } from './json-schema';

// zod is the server's check: on realistic agent input schemas, the browser-side validator must
// agree with `safeParse` on whether a value is valid, for random values near and far from valid.
const schemas: Record<string, z.ZodType> = {
  summarize: z.object({
    text: z.string().min(1).max(40),
    style: z.enum(['brief', 'detailed']).default('brief'),
    count: z.number().int().min(0).max(10).optional(),
  }),
  strict: z.strictObject({ id: z.uuid(), email: z.email(), at: z.iso.datetime().optional() }),
  nested: z.object({
    user: z.object({ name: z.string(), age: z.number().positive().nullable() }),
    tags: z.array(z.string().max(5)).min(1).max(3),
  }),
  union: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('text'), value: z.string() }),
    z.object({ kind: z.literal('number'), value: z.number().multipleOf(0.5) }),
  ]),
  tuple: z.tuple([z.string(), z.boolean()]),
  record: z.record(z.string().regex(/^[a-z]+$/), z.number().lt(100)),
  anyOf: z.union([z.string().length(3), z.number().gte(5), z.null()]),
  literals: z.object({ flag: z.literal(true), level: z.literal([1, 2, 3]) }),
};

const near = fc.oneof(
  fc.constantFrom('', 'a', 'brief', 'detailed', 'long', 'text', 'number', 'abc', 'ABC', 'x@y.co', 'not-an-email'),
  fc.constantFrom('2025-01-31T09:30:00Z', '2025-02-30T09:30:00Z', '123e4567-e89b-42d3-a456-426614174000'),
  fc.string({ maxLength: 45 }),
  fc.constantFrom(0, 1, 1.5, -1, 2, 3, 5, 10, 11, 99, 100, 0.25),
  fc.integer({ min: -5, max: 120 }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    near,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'text',
        'style',
        'count',
        'id',
        'email',
        'at',
        'user',
        'name',
        'age',
        'tags',
        'kind',
        'value',
        'flag',
        'level',
        'abc',
        'A1',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

describe('validateJsonSchema agrees with zod (the server) on realistic schemas', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(name, () => {
      const json = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
      fc.assert(
        fc.property(value, (input) => {
          const ours = validateJsonSchema(json, input).length === 0;
          expect(ours, JSON.stringify(input)).toBe(schema.safeParse(input).success);
        }),
        { numRuns: 400 },
      );
    });
  }
});
