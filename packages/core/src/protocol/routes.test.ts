import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAgentId } from '../agent/define-agent';
import { matchRoute, normalizeBasePath, type Route, routePath, routeSegments } from './routes';

// Ids as users pick them: any text, slashes, percent signs and unicode included. Except `.` and
// `..` alone: a URL parser removes those path segments (encoded as `%2E` too), so no HTTP path can
// carry them; agent ids start with a letter or digit (`isAgentId`) and execution and test-case ids
// are generated, so none can be one. The test below pins that.
const id = fc
  .string({ minLength: 1, maxLength: 40, unit: 'grapheme' })
  .filter((value) => value !== '.' && value !== '..');
const route: fc.Arbitrary<Route> = fc.oneof(
  fc.constant({ name: 'agents' } as const),
  id.map((agentId) => ({ name: 'execute', agentId }) as const),
  fc.constant({ name: 'executions' } as const),
  id.map((executionId) => ({ name: 'execution', executionId }) as const),
  id.map((executionId) => ({ name: 'cancel', executionId }) as const),
  id.map((executionId) => ({ name: 'events', executionId }) as const),
  // --- tapes (issue 14) ---
  id.map((executionId) => ({ name: 'saveRun', executionId }) as const),
  // --- end tapes ---
  fc.constant({ name: 'health' } as const),
  id.map((agentId) => ({ name: 'test-cases', agentId }) as const),
  fc.tuple(id, id).map(([agentId, testCaseId]) => ({ name: 'test-case', agentId, testCaseId }) as const),
);

describe('routes: the client builds what the handler matches', () => {
  it('routePath then routeSegments and matchRoute give back the same route, under any mount point', () => {
    fc.assert(
      fc.property(route, fc.constantFrom('', '/', '/api/agentry', 'api/agentry/'), (original, mount) => {
        const basePath = normalizeBasePath(mount);
        const pathname = `${basePath}/${routePath(original)}`;
        const segments = routeSegments(new URL(pathname, 'http://localhost').pathname, basePath);
        expect(segments).toBeDefined();
        expect(matchRoute(segments ?? [])).toEqual(original);
      }),
      { numRuns: 300 },
    );
  });

  it('dot segments cannot be ids: the URL removes them, and an agent id must start with a letter or digit', () => {
    expect(new URL(`/api/${routePath({ name: 'execute', agentId: '.' })}`, 'http://localhost').pathname).toBe(
      '/api/agents/executions',
    );
    expect(isAgentId('.')).toBe(false);
    expect(isAgentId('..')).toBe(false);
  });

  it('answers no route for paths outside the protocol or the mount', () => {
    expect(matchRoute(['agents', 'a', 'b'])).toBeUndefined();
    expect(matchRoute(['executions', 'a', 'b'])).toBeUndefined();
    expect(matchRoute(['health', 'x'])).toBeUndefined();
    expect(matchRoute(['agents', 'a', 'test-cases', 'b', 'c'])).toBeUndefined();
    expect(matchRoute(['agents', 'a', 'executions', 'b'])).toBeUndefined();
    expect(matchRoute(['other'])).toBeUndefined();
    expect(matchRoute(['executions', 'exe_1', 'tape', 'x'])).toBeUndefined();
    expect(routePath({ name: 'saveRun', executionId: 'exe/1' })).toBe('executions/exe%2F1/tape');
    expect(routeSegments('/elsewhere/agents', '/api')).toBeUndefined();
    expect(routeSegments('/api/%E0%A4%A', '/api')).toBeUndefined();
  });
});
