import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { issuesSummary, safeParse, safeParseCatching } from './safe-parse';

describe('safeParse', () => {
  it('parses synchronously when it can, and falls back to async parsing for async refinements', async () => {
    const sync = safeParse(z.object({ name: z.string() }), { name: 'Ada' });
    expect(sync).not.toBeInstanceOf(Promise);
    expect(sync).toMatchObject({ success: true, data: { name: 'Ada' } });

    const schema = z.string().refine(async (value) => value.startsWith('ok'), 'must start with ok');
    const parsed = safeParse(schema, 'ok then');
    expect(parsed).toBeInstanceOf(Promise);
    await expect(parsed).resolves.toMatchObject({ success: true, data: 'ok then' });
    await expect(safeParse(schema, 'no')).resolves.toMatchObject({ success: false });
  });

  it('a schema whose own code throws: the throw goes on (safeParse) or is reported (safeParseCatching)', async () => {
    const boom = new Error('refinement broke');
    const schema = z.string().refine(() => {
      throw boom;
    });
    expect(() => safeParse(schema, 'x')).toThrow(boom);
    await expect(safeParseCatching(schema, 'x')).resolves.toEqual({ thrown: boom });
  });
});

describe('issuesSummary', () => {
  it('names each issue by its path (or the root), at most five, on one line', () => {
    const issues = [
      { path: ['user', 'email'], message: 'Invalid email' },
      { path: [], message: 'Expected object' },
      { path: [0], message: 'Required' },
      { path: ['a'], message: 'one' },
      { path: ['b'], message: 'two' },
      { path: ['c'], message: 'six is left out' },
    ];
    expect(issuesSummary(issues)).toBe(
      'user.email: Invalid email; (root): Expected object; 0: Required; a: one; b: two',
    );
  });
});
