// The test-case routes of createHandler: `GET`/`POST /agents/:agentId/test-cases` and
// `PUT`/`DELETE /agents/:agentId/test-cases/:id`. Kept here so the handler only dispatches.
import { AgentryError, type ValidationIssue } from '../errors';
import type { AgentSummary, Route, TestCase, TestCaseBody } from '../protocol';
import { parseTestCaseBody, TEST_CASE_LIMITS } from '../protocol';
import type { TenantContext } from '../tenant';
import type { TestCaseStore } from '../test-cases';
import { validateJsonSchema } from '../validation/json-schema';
import { readJsonBody } from './read-json-body';

/** The `testCases` option of `createHandler`. */
export interface TestCaseRoutesOptions {
  /** Where the cases live: `createMemoryTestCaseStore()`, or `createPostgresTestCaseStore({ pool })`. */
  store: TestCaseStore;
  /** Cases one tenant may keep per agent. @default 100 */
  maxPerAgent?: number;
}

/** What a test-case route answers: a JSON body and its status, or 204 with none. */
export type TestCaseAnswer = { status: 200 | 201; body: TestCase | TestCase[] } | { status: 204 };

type TestCaseRoute = Extract<Route, { name: 'test-cases' | 'test-case' }>;

interface Dependencies {
  options: TestCaseRoutesOptions | undefined;
  listAgents(tenant: TenantContext): Promise<AgentSummary[]>;
  maxBodyBytes: number;
}

function newTestCaseId(): string {
  return `tc_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
}

function invalid(issues: ValidationIssue[], summary: string): AgentryError {
  return new AgentryError('validation_failed', summary, {
    issues,
    userMessage: 'The test case could not be saved. Fix the marked fields and try again.',
  });
}

/** Checks the parsed body against the agent: its input schema, its input size limit, and `equals` against its output schema. */
function checkAgainstAgent(body: TestCaseBody, agent: AgentSummary): void {
  if (agent.maxInputBytes !== undefined) {
    const bytes = new TextEncoder().encode(JSON.stringify(body.input) ?? '').length;
    if (bytes > agent.maxInputBytes) {
      throw new AgentryError(
        'input_too_large',
        `The test case's input is ${bytes} bytes; agent "${agent.id}" accepts at most ${agent.maxInputBytes}. Save a smaller input.`,
        { limit: { kind: 'input_size', value: agent.maxInputBytes, unit: 'bytes' } },
      );
    }
  }
  const issues = validateJsonSchema(agent.inputSchema, body.input).map((issue) => ({
    ...issue,
    path: ['input', ...issue.path],
  }));
  const equals = body.expectations?.equals;
  if (equals !== undefined && agent.outputSchema !== undefined) {
    for (const issue of validateJsonSchema(agent.outputSchema, equals)) {
      issues.push({
        ...issue,
        path: ['expectations', 'equals', ...issue.path],
        message: `${issue.message} (no valid output could equal this)`,
      });
    }
  }
  if (issues.length > 0) {
    throw invalid(
      issues,
      `The test case does not fit agent "${agent.id}": ${issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ')}`,
    );
  }
}

/**
 * The handler of the test-case routes. The agent is looked up among the tenant's own agents
 * (`listAgents`), and cases are read by tenant: another tenant's agent or case answers the same
 * `not_found` as one that never existed.
 */
export function createTestCaseRoutes(dependencies: Dependencies) {
  const { options, maxBodyBytes } = dependencies;
  const maxPerAgent = options?.maxPerAgent ?? TEST_CASE_LIMITS.maxPerAgent;
  if (!Number.isInteger(maxPerAgent) || maxPerAgent < 1) {
    throw new TypeError(`createHandler: testCases.maxPerAgent must be a positive integer, got ${String(maxPerAgent)}.`);
  }

  async function agentOf(tenant: TenantContext, agentId: string): Promise<AgentSummary> {
    const agent = (await dependencies.listAgents(tenant)).find((candidate) => candidate.id === agentId);
    if (agent === undefined) throw new AgentryError('not_found', `No agent "${agentId}" in this workspace.`);
    return agent;
  }

  const noSuchCase = (testCaseId: string) =>
    new AgentryError('not_found', `No test case "${testCaseId}" for this agent in this workspace.`);

  return async function handleTestCaseRoute(
    request: Request,
    route: TestCaseRoute,
    tenant: TenantContext,
  ): Promise<TestCaseAnswer> {
    if (options === undefined) {
      throw new AgentryError(
        'not_found',
        'Saved test cases are not enabled on this server: pass testCases: { store } to createHandler (see docs/server.md).',
        { userMessage: 'Saved test cases are not available here.' },
      );
    }
    const { store } = options;
    const agent = await agentOf(tenant, route.agentId);
    const method = request.method;
    if (route.name === 'test-cases' && method === 'GET') {
      return { status: 200, body: await store.list(tenant.tenantId, agent.id) };
    }
    if (method === 'DELETE' && route.name === 'test-case') {
      if (!(await store.delete(tenant.tenantId, agent.id, route.testCaseId))) throw noSuchCase(route.testCaseId);
      return { status: 204 };
    }
    const body = parseTestCaseBody(await readJsonBody(request, maxBodyBytes));
    checkAgainstAgent(body, agent);
    const now = new Date().toISOString();
    if (route.name === 'test-cases') {
      const testCase: TestCase = {
        id: newTestCaseId(),
        tenantId: tenant.tenantId,
        agentId: agent.id,
        name: body.name,
        input: body.input,
        expectations: body.expectations ?? {},
        createdAt: now,
        updatedAt: now,
      };
      if (!(await store.create(testCase, { maxPerAgent }))) {
        throw invalid(
          [{ path: [], code: 'too_many', message: `At most ${maxPerAgent} test cases per agent.` }],
          `Agent "${agent.id}" already has ${maxPerAgent} test cases in this workspace, the most it may keep. Delete one first.`,
        );
      }
      return { status: 201, body: testCase };
    }
    const updated = await store.update({
      id: route.testCaseId,
      tenantId: tenant.tenantId,
      agentId: agent.id,
      name: body.name,
      input: body.input,
      expectations: body.expectations ?? {},
      createdAt: now,
      updatedAt: now,
    });
    if (updated === undefined) throw noSuchCase(route.testCaseId);
    return { status: 200, body: updated };
  };
}
