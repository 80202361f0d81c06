// `client.testCases`: the tenant's saved test cases of an agent (issue 16 item 8). Writes are not
// retried, like runs: a retried POST could save a case twice.
import { routePath, TEST_CASE, TEST_CASE_LIST, type TestCaseBody } from '../protocol';
import type { TestCaseService } from '../test-cases';
import type { Transport } from './transport';

/** The test-case routes of the server, over the client's transport. */
export function createTestCaseClient(transport: Transport): TestCaseService {
  const { getJson, call, send } = transport;
  return {
    list(agentId: string, request: { signal?: AbortSignal } = {}) {
      return getJson(routePath({ name: 'test-cases', agentId }), TEST_CASE_LIST, { signal: request.signal });
    },
    create(agentId: string, body: TestCaseBody, request: { signal?: AbortSignal } = {}) {
      return getJson(routePath({ name: 'test-cases', agentId }), TEST_CASE, {
        method: 'POST',
        json: body,
        signal: request.signal,
        retries: 0,
      });
    },
    update(agentId: string, testCaseId: string, body: TestCaseBody, request: { signal?: AbortSignal } = {}) {
      return getJson(routePath({ name: 'test-case', agentId, testCaseId }), TEST_CASE, {
        method: 'PUT',
        json: body,
        signal: request.signal,
        retries: 0,
      });
    },
    delete(agentId: string, testCaseId: string, request: { signal?: AbortSignal } = {}) {
      const path = routePath({ name: 'test-case', agentId, testCaseId });
      return call(path, async () => {
        const response = await send(path, { method: 'DELETE', signal: request.signal });
        await response.body?.cancel().catch(() => undefined);
      });
    },
  };
}
