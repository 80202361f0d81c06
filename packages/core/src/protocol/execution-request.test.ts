import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAgentryError } from '../errors';
import { listExecutionsQuery, parseListExecutionsQuery } from './execution-page';
import { executionRequestBody, parseExecutionRequestBody } from './execution-request';

describe('request bodies and queries: one side writes what the other reads', () => {
  it('a run body built by the client (or the remote provider) parses back to the same run on the server', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.option(fc.constantFrom('mock', 'live') as fc.Arbitrary<'mock' | 'live'>, { nil: undefined }),
        fc.option(fc.integer(), { nil: undefined }),
        (input, mode, seed) => {
          const wire = JSON.parse(JSON.stringify(executionRequestBody({ input, mode, seed })));
          const parsed = parseExecutionRequestBody(wire);
          expect(parsed.mode).toBe(mode ?? 'mock');
          expect(parsed.seed).toBe(seed);
          expect(parsed.input).toEqual(wire.input);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a body without input, with an unknown mode or a fractional seed, naming each field', () => {
    try {
      parseExecutionRequestBody({ mode: 'fast', seed: 1.5 });
      expect.unreachable();
    } catch (error) {
      expect(isAgentryError(error) && error.code).toBe('validation_failed');
      expect(isAgentryError(error) && error.issues?.map((issue) => issue.path.join('.'))).toEqual([
        'input',
        'mode',
        'seed',
      ]);
    }
  });

  it('a history query built by the client parses back to the same options', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            agentId: fc.string({ minLength: 1 }),
            limit: fc.integer({ min: 1, max: 100 }),
            cursor: fc.string({ minLength: 1 }),
          },
          { requiredKeys: [] },
        ),
        (options) => {
          const query = new URLSearchParams(listExecutionsQuery(options).toString());
          expect(parseListExecutionsQuery(query)).toEqual(options);
        },
      ),
      { numRuns: 300 },
    );
  });
});
