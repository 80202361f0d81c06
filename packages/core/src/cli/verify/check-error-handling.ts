import { PROBLEM_CONTENT_TYPE, routePath } from '../../protocol';
import type { JsonSchema } from '../../validation';
import { validateJsonSchema } from '../../validation/json-schema';
import { type CheckResult, check } from './checklist';
import type { RunnableAgent, VerifyContext } from './context';
import type { ProbeResponse } from './recorder';

interface ErrorProbe {
  label: string;
  path: string;
  method: string;
  contentType?: string;
  body?: string;
  expectStatus: number;
  expectCode: string;
}

/** Inputs tried, in order, until one the agent's schema refuses is found. */
const INVALID_CANDIDATES: unknown[] = [42, 'verify-not-an-object', [], {}, null, true];

/** A body just over the handler's limit: valid JSON, so only its size is wrong. */
function oversizeBody(maxBodyBytes: number): string {
  const head = '{"mode":"mock","input":{"text":"';
  const tail = '"}}';
  return head + 'a'.repeat(Math.max(1, maxBodyBytes + 1024 - head.length - tail.length)) + tail;
}

/**
 * Error handling: invalid JSON, input the schema refuses, an oversize body, the wrong content
 * type, an unknown agent and the wrong method each answer their 4xx as `application/problem+json`
 * with the right `code`; never a 5xx, never a success.
 */
export async function checkErrorHandling(
  context: VerifyContext,
  target: RunnableAgent | undefined,
): Promise<CheckResult> {
  const title = 'Error handling: the right 4xx problem+json';
  if (target === undefined) return check('error-handling', title, 'fail', 'no agent to send bad requests to');
  const execute = routePath({ name: 'execute', agentId: target.agent.id });
  const probes: ErrorProbe[] = [
    {
      label: 'invalid JSON',
      path: execute,
      method: 'POST',
      contentType: 'application/json',
      body: '{"mode": "mock", "input": {"text": "unterminated',
      expectStatus: 400,
      expectCode: 'invalid_json',
    },
    {
      label: `oversize body (${context.options.maxBodyBytes + 1024} bytes; --max-body-bytes ${context.options.maxBodyBytes})`,
      path: execute,
      method: 'POST',
      contentType: 'application/json',
      body: oversizeBody(context.options.maxBodyBytes),
      expectStatus: 413,
      expectCode: 'input_too_large',
    },
    {
      label: 'text/plain body',
      path: execute,
      method: 'POST',
      contentType: 'text/plain',
      body: '{}',
      expectStatus: 415,
      expectCode: 'invalid_json',
    },
    {
      label: 'unknown agent',
      path: routePath({ name: 'execute', agentId: 'agentry-verify-no-such-agent' }),
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify({ input: {}, mode: 'mock' }),
      expectStatus: 404,
      expectCode: 'not_found',
    },
    {
      label: 'DELETE /agents',
      path: routePath({ name: 'agents' }),
      method: 'DELETE',
      expectStatus: 405,
      expectCode: 'not_found',
    },
  ];
  const schema = target.agent.inputSchema as JsonSchema;
  const invalid = INVALID_CANDIDATES.find((candidate) => validateJsonSchema(schema, candidate).length > 0);
  const notes: string[] = [];
  if (invalid === undefined) {
    notes.push(`schema-invalid input: not probed, ${target.agent.id} accepts any JSON`);
  } else {
    probes.splice(1, 0, {
      label: `schema-invalid input (${JSON.stringify(invalid)} for ${target.agent.id})`,
      path: execute,
      method: 'POST',
      contentType: 'application/json',
      body: JSON.stringify({ input: invalid, mode: 'mock' }),
      expectStatus: 400,
      expectCode: 'validation_failed',
    });
  }
  const failures: string[] = [];
  const passed: string[] = [];
  for (const probe of probes) {
    context.progress.update(`error handling: ${probe.label}`);
    let response: ProbeResponse;
    try {
      response = await context.recorder.send(probe.path, {
        method: probe.method,
        headers: {
          ...context.a.credential.headers,
          ...(probe.contentType ? { 'content-type': probe.contentType } : {}),
        },
        ...(probe.body !== undefined ? { body: probe.body } : {}),
      });
    } catch (error) {
      failures.push(`${probe.label}: no answer (${(error as { name?: string }).name ?? 'error'})`);
      continue;
    }
    const type = response.headers.get('content-type') ?? '';
    const code = (response.json as { code?: unknown } | undefined)?.code;
    const got = `${response.status} ${type.split(';')[0] || 'no content type'}${typeof code === 'string' ? ` ${code}` : ''}`;
    const problems: string[] = [];
    if (response.status !== probe.expectStatus)
      problems.push(`status ${response.status}, expected ${probe.expectStatus}`);
    if (!type.startsWith(PROBLEM_CONTENT_TYPE))
      problems.push(`content type "${type || 'none'}", expected ${PROBLEM_CONTENT_TYPE}`);
    if (code !== probe.expectCode) problems.push(`code ${String(code ?? 'missing')}, expected ${probe.expectCode}`);
    if (problems.length > 0) failures.push(`${probe.label}: ${problems.join('; ')}`);
    else passed.push(`${probe.label}: ${got}`);
  }
  context.progress.done();
  return check(
    'error-handling',
    title,
    failures.length > 0 ? 'fail' : 'pass',
    failures.length > 0
      ? `${failures.length} of ${probes.length} bad requests answered wrongly`
      : `${probes.length} bad requests, each its 4xx problem+json`,
    [...failures, ...notes, ...passed],
  );
}
