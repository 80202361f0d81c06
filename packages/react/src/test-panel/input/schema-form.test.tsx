import { fireEvent, render, screen, within } from '@testing-library/react';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { expectNoAxeViolations } from '../../../test/axe';
import { getIn, pathKey } from './form-model';

/** What an edit at `path` must give: a deep copy of `input` with only that place changed (independent of setIn). */
function expectedAfter(input: unknown, path: readonly (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const copy = structuredClone(input) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  target[path[path.length - 1] as string | number] = next;
  return copy;
}

import { SchemaForm } from './schema-form';

const schemaOf = (type: z.ZodType) => z.toJSONSchema(type, { io: 'input' }) as Record<string, unknown>;

const summarize = schemaOf(
  z.object({
    text: z.string().min(1).max(20_000).describe('The text to summarize'),
    style: z.enum(['brief', 'detailed']).default('brief'),
    language: z.enum(['en', 'fr', 'de', 'es', 'it', 'pt']).optional(),
    count: z.number().int().min(1).max(10).optional(),
    strict: z.boolean(),
    tags: z.array(z.string().max(10)),
    author: z.object({ name: z.string().max(40), email: z.email().nullable() }),
    shape: z.union([z.string(), z.number()]),
  }),
);
const value = {
  text: 'Hello',
  style: 'brief',
  strict: false,
  tags: ['a', 'b', 'c'],
  author: { name: 'Ada', email: null },
  shape: 3,
  extra: { kept: true },
};

function renderForm(props: Partial<Parameters<typeof SchemaForm>[0]> = {}) {
  const onValueChange = vi.fn();
  const view = render(<SchemaForm schema={summarize} value={value} onValueChange={onValueChange} {...props} />);
  return { ...view, onValueChange, last: () => onValueChange.mock.lastCall?.[0] };
}

describe('SchemaForm', () => {
  it('shows each kind of field with its hint, and is axe-clean', async () => {
    const { container } = renderForm();
    expect(screen.getByRole('textbox', { name: 'text' }).tagName).toBe('TEXTAREA');
    expect(screen.getByText('The text to summarize · 1–20000 characters')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'brief' })).toBeChecked();
    expect(screen.getByText('Default: brief')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'strict' })).not.toBeChecked();
    expect(screen.getByRole('textbox', { name: 'name' }).tagName).toBe('INPUT');
    // Optional fields that are absent are added on demand.
    expect(screen.getByRole('button', { name: 'Add language' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add count' })).toBeInTheDocument();
    // The union falls back to JSON with a note; keys the schema does not know are kept, as JSON.
    expect(screen.getByText('This field takes one of several shapes: edit it as JSON.')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Fields not in the schema' })).toHaveValue(
      JSON.stringify({ extra: { kept: true } }, null, 2),
    );
    await expectNoAxeViolations(container);
  });

  it('edits strings, enums, numbers and booleans in place, keeping everything else', () => {
    const { onValueChange, last } = renderForm();
    fireEvent.change(screen.getByRole('textbox', { name: 'text' }), { target: { value: 'Hi\nthere' } });
    expect(last()).toEqual({ ...value, text: 'Hi\nthere' });
    fireEvent.click(screen.getByRole('radio', { name: 'detailed' }));
    expect(last()).toEqual({ ...value, style: 'detailed' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'strict' }));
    expect(last()).toEqual({ ...value, strict: true });
    fireEvent.click(screen.getByRole('button', { name: 'Add count' }));
    expect(last()).toEqual({ ...value, count: 1 });
    expect(onValueChange).toHaveBeenCalledTimes(4);
  });

  it('keeps a number being typed until it is one, and says so', () => {
    const spy = vi.fn();
    const { rerender } = render(<SchemaForm schema={summarize} value={{ ...value, count: 3 }} onValueChange={spy} />);
    const count = screen.getByRole('spinbutton', { name: 'count' });
    expect(count).toHaveAttribute('min', '1');
    expect(count).toHaveAttribute('max', '10');
    fireEvent.change(count, { target: { value: '7' } });
    expect(spy).toHaveBeenLastCalledWith({ ...value, count: 7 });
    rerender(<SchemaForm schema={summarize} value={{ ...value, count: 7 }} onValueChange={spy} />);
    // Cleared: not a number, so nothing is sent and the field says why.
    fireEvent.change(count, { target: { value: '' } });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Enter a number.')).toBeInTheDocument();
  });

  it('adds, removes and reorders array items', () => {
    const { last } = renderForm();
    const tags = screen.getByRole('group', { name: /tags/ });
    fireEvent.click(within(tags).getByRole('button', { name: 'Move item 1 down' }));
    expect(last().tags).toEqual(['b', 'a', 'c']);
    fireEvent.click(within(tags).getByRole('button', { name: 'Move item 3 up' }));
    expect(last().tags).toEqual(['a', 'c', 'b']);
    fireEvent.click(within(tags).getByRole('button', { name: 'Remove item 2' }));
    expect(last().tags).toEqual(['a', 'c']);
    fireEvent.click(within(tags).getByRole('button', { name: 'Add item' }));
    expect(last().tags).toEqual(['a', 'b', 'c', '']);
    expect(within(tags).getByRole('button', { name: 'Move item 1 up' })).toBeDisabled();
  });

  it('sets nullable fields to null and back, and removes optional ones', () => {
    const { last, rerender, onValueChange } = renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Set a value' }));
    expect(last().author).toEqual({ name: 'Ada', email: 'user@example.com' });
    rerender(
      <SchemaForm
        schema={summarize}
        value={{ ...value, count: 2, author: { name: 'Ada', email: 'a@b.co' } }}
        onValueChange={onValueChange}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Set to null' }));
    expect(last().author).toEqual({ name: 'Ada', email: null });
    fireEvent.click(screen.getByRole('button', { name: 'Remove count' }));
    expect(last()).not.toHaveProperty('count');
  });

  it('shows each issue at its field, including required fields that are missing', async () => {
    const { text: _text, ...withoutText } = value;
    const { container } = renderForm({
      value: withoutText,
      issues: [
        { path: ['text'], code: 'required', message: 'Required: string.' },
        { path: ['tags', 1], code: 'too_big', message: 'Must be at most 10 characters.' },
        { path: ['shape'], code: 'invalid_union', message: 'Expected string or number, got boolean.' },
      ],
    });
    const text = screen.getByRole('textbox', { name: 'text' });
    expect(text).toHaveAttribute('aria-invalid', 'true');
    expect(text).toHaveAccessibleDescription(/Required: string\./);
    expect(screen.getByRole('textbox', { name: 'Item 2' })).toHaveAccessibleDescription(/at most 10 characters/);
    expect(screen.getByText('Expected string or number, got boolean.')).toBeInTheDocument();
    await expectNoAxeViolations(container);
  });

  it('edits a fallback subtree as JSON and keeps text that is not JSON yet', () => {
    const { last, onValueChange } = renderForm();
    const shape = screen.getByText('This field takes one of several shapes: edit it as JSON.')
      .parentElement as HTMLElement;
    const box = within(shape).getByRole('textbox');
    fireEvent.change(box, { target: { value: '"now a string"' } });
    expect(last()).toEqual({ ...value, shape: 'now a string' });
    const calls = onValueChange.mock.calls.length;
    fireEvent.change(box, { target: { value: '{ broken' } });
    expect(onValueChange).toHaveBeenCalledTimes(calls);
    expect(box).toHaveValue('{ broken');
  });
});

// Random schemas of the kinds z.toJSONSchema emits, and random JSON near them.
const keys = ['a', 'b', 'c'] as const;
const schemaArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant({ type: 'string' }),
    fc.constant({ type: 'string', maxLength: 20, format: 'email' }),
    fc.constant({ type: 'number', minimum: 0 }),
    fc.constant({ type: 'integer' }),
    fc.constant({ type: 'boolean' }),
    fc.constant({ type: 'string', enum: ['x', 'y'] }),
    fc.constant({ type: 'string', const: 'k' }),
    fc.constant({}),
    tie('schema').map((inner) => ({ anyOf: [inner, { type: 'null' }] })),
    fc.tuple(tie('schema'), tie('schema')).map(([left, right]) => ({ anyOf: [left, right] })),
    tie('schema').map((items) => ({ type: 'array', items })),
    fc
      .tuple(
        fc.dictionary(fc.constantFrom(...keys), tie('schema'), { maxKeys: 3, noNullPrototype: true }),
        fc.subarray([...keys]),
      )
      .map(([properties, required]) => ({
        type: 'object',
        properties,
        required: required.filter((key) => key in properties),
      })),
  ),
})).schema;
// Inputs come from JSON.parse, so objects have the normal prototype: fast-check's default also
// draws `Object.create(null)` objects, which `toStrictEqual` tells apart from the form's `{}`
// (seed 1650990713 drew one and failed with "no visual difference").
const valueArbitrary: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('x', 'k', '', 'long text\nwith lines', 0, 2.5, -1, true, false, null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'z'), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

/** Values that fit a schema, so the property reaches nested controls often. */
function fitting(schema: Record<string, unknown>): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as Record<string, unknown>[]).map(fitting));
  switch (schema.type) {
    case 'string':
      return fc.constantFrom('x', '', 'long text\nwith lines');
    case 'number':
    case 'integer':
      return fc.integer({ min: 0, max: 9 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fitting(schema.items as Record<string, unknown>), { maxLength: 3 });
    case 'object': {
      const properties = schema.properties as Record<string, Record<string, unknown>>;
      return fc.record(Object.fromEntries(Object.entries(properties).map(([key, item]) => [key, fitting(item)])), {
        requiredKeys: (schema.required as string[]).filter((key) => key in properties),
        noNullPrototype: true,
      });
    }
    default:
      return valueArbitrary;
  }
}

describe('SchemaForm round-trips', () => {
  it('an edit through any control changes that place only; JSON fallbacks give back their value exactly', () => {
    let controls = 0;
    fc.assert(
      fc.property(
        schemaArbitrary.chain((schema) => fc.tuple(fc.constant(schema), fc.oneof(fitting(schema), valueArbitrary))),
        ([schema, input]) => {
          const onValueChange = vi.fn();
          const { container, unmount } = render(
            <SchemaForm schema={schema} value={input} onValueChange={onValueChange} />,
          );
          try {
            for (const element of container.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
              'textarea[data-path], input[type="text"][data-path]',
            )) {
              const path = JSON.parse(element.dataset.path ?? '[]') as (string | number)[];
              const json = element.classList.contains('agentry-input--json');
              onValueChange.mockClear();
              if (json) {
                // Retyping the subtree's JSON in another layout gives back exactly the value.
                const current = getIn(input, path);
                // Another layout than the box shows (a trailing space is still the same JSON).
                const compact = `${JSON.stringify(current)} `;
                fireEvent.change(element, { target: { value: compact } });
                if (current !== undefined && compact !== element.defaultValue) {
                  expect(onValueChange.mock.lastCall?.[0]).toStrictEqual(input);
                }
              } else {
                fireEvent.change(element, { target: { value: `${element.value}!` } });
                expect(onValueChange.mock.lastCall?.[0]).toStrictEqual(expectedAfter(input, path, `${element.value}!`));
              }
              controls += 1;
              expect(pathKey(path)).toBe(element.dataset.path);
            }
          } finally {
            unmount();
          }
        },
      ),
      { numRuns: 80 },
    );
    // The property ran through real controls, not only empty forms.
    expect(controls).toBeGreaterThan(20);
  });
});
