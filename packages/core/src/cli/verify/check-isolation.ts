import type { ExecutionResult } from '../../protocol';
import { routePath } from '../../protocol';
import { type CheckResult, check } from './checklist';
import type { RunnableAgent, TenantSession, VerifyContext } from './context';
import type { ProbeResponse } from './recorder';

/** What the isolation probes start from: each tenant's own executions. */
export interface IsolationInput {
  /** Executions tenant A ran in this verify. */
  recordsA: readonly ExecutionResult[];
  /** One execution tenant B ran, when there is a tenant B. */
  recordB: ExecutionResult | undefined;
  /** An agent tenant B can run, for the forged-tenant probe. */
  agentB: RunnableAgent | undefined;
}

type Headers = Record<string, string>;

/** Route probes of the next protocol routes: an older server answers 404/405 (then: "not offered"). */
const OPTIONAL_ROUTES = [
  {
    name: 'events',
    method: 'GET',
    path: (id: string) => `executions/${encodeURIComponent(id)}/events`,
    accept: 'text/event-stream',
  },
  { name: 'cancel', method: 'POST', path: (id: string) => `executions/${encodeURIComponent(id)}/cancel` },
] as const;

function mentionsAny(body: string, ids: readonly string[]): string | undefined {
  return ids.find((id) => body.includes(id));
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether an answer carries another tenant's data: one of its records (a `"tenantId"` of that
 * tenant next to the record's id, as a record or an event has) or a stretch of its output. A
 * 404 that repeats the id the caller itself sent is not data.
 */
export function foreignDataIn(body: string, foreign: readonly ExecutionResult[]): string | undefined {
  for (const record of foreign) {
    const tenant = new RegExp(`"tenantId"\\s*:\\s*"${escapeRegExp(record.tenantId)}"`);
    if (body.includes(record.id) && tenant.test(body)) return `its record ${record.id}`;
    if (
      body.includes(`"executionId":"${record.id}"`) &&
      /"type"\s*:\s*"(output-delta|execution-start|execution-finish|usage)"/.test(body)
    ) {
      return `events of ${record.id}`;
    }
    const output = typeof record.output === 'string' ? record.output : JSON.stringify(record.output ?? null);
    const sample = output.length >= 24 ? output.slice(0, 40) : undefined;
    if (sample !== undefined && body.includes(sample)) return `the output of ${record.id}`;
  }
  return undefined;
}

function describe(response: ProbeResponse): string {
  const code = (response.json as { code?: unknown } | undefined)?.code;
  return `${response.status}${typeof code === 'string' ? ` ${code}` : ''}`;
}

async function probe(
  context: VerifyContext,
  path: string,
  headers: Headers,
  init: { method?: string; body?: string; accept?: string } = {},
): Promise<ProbeResponse | string> {
  try {
    return await context.recorder.send(path, {
      method: init.method ?? 'GET',
      headers: {
        ...headers,
        ...(init.accept ? { accept: init.accept } : {}),
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
      // A stream that stays open (events of a running execution) must not hold the probe.
      timeoutMs: Math.min(context.options.timeoutMs, 5_000),
    });
  } catch (error) {
    return `no answer (${(error as { name?: string }).name ?? 'error'})`;
  }
}

/**
 * Cross-tenant probes with the two credentials over every route: B reads, lists, streams and
 * cancels A's executions (and A B's), B runs A's private agents, B forges A's tenant id in a
 * query, a header and the body. Any answer that carries the other tenant's data is a leak.
 */
export async function checkIsolation(context: VerifyContext, input: IsolationInput): Promise<CheckResult[]> {
  const title = 'Cross-tenant isolation (two credentials, every route)';
  const b = context.b;
  if (b === undefined) {
    return [check('isolation', title, 'warn', 'not probed: pass --auth-b with a second tenant’s credential')];
  }
  const a = context.a;
  const recordA = input.recordsA[0];
  if (recordA === undefined || input.recordB === undefined) {
    return [
      check(
        'isolation',
        title,
        'fail',
        'not probed: tenant A or B has no execution to probe with (the mock runs failed)',
      ),
    ];
  }
  if (recordA.tenantId === input.recordB.tenantId) {
    return [
      check(
        'isolation',
        title,
        'fail',
        `--auth and --auth-b are the same tenant (${recordA.tenantId}): pass a credential of another tenant to --auth-b`,
      ),
    ];
  }
  const leaks: string[] = [];
  const passed: string[] = [];
  const notes: string[] = [];
  let probes = 0;
  const expectNoData = (label: string, response: ProbeResponse | string, foreign: readonly ExecutionResult[]) => {
    probes += 1;
    if (typeof response === 'string') {
      passed.push(`${label}: ${response}`);
      return;
    }
    const leaked = foreignDataIn(response.body, foreign);
    if (response.status >= 200 && response.status < 300) {
      leaks.push(
        `${label}: answered ${response.status}${leaked ? ` with the other tenant’s data (${leaked})` : ' (expected 404)'}`,
      );
    } else if (leaked) {
      leaks.push(`${label}: answered ${describe(response)} with the other tenant’s data (${leaked})`);
    } else {
      passed.push(`${label}: ${describe(response)}`);
    }
  };
  const pairs: [TenantSession, TenantSession, ExecutionResult, readonly ExecutionResult[]][] = [
    [b, a, recordA, input.recordsA],
    [a, b, input.recordB, [input.recordB]],
  ];
  const notOffered = new Set<string>();
  for (const [reader, owner, foreignRecord, foreign] of pairs) {
    const foreignId = foreignRecord.id;
    const foreignIds = foreign.map((record) => record.id);
    const who = `${reader.name} → ${owner.name}`;
    context.progress.update(`isolation probes (${who})`);
    expectNoData(
      `${who} GET /executions/:id`,
      await probe(context, routePath({ name: 'execution', executionId: foreignId }), reader.credential.headers),
      foreign,
    );
    // History: the reader's own list must not hold a foreign id, whatever the query asks for.
    const list = await probe(context, `${routePath({ name: 'executions' })}?limit=100`, reader.credential.headers);
    probes += 1;
    if (typeof list === 'string' || list.status !== 200) {
      leaks.push(
        `${who} GET /executions: expected the reader’s own history (200), got ${typeof list === 'string' ? list : describe(list)}`,
      );
    } else if (mentionsAny(list.body, foreignIds)) {
      leaks.push(`${who} GET /executions lists the other tenant’s execution ${mentionsAny(list.body, foreignIds)}`);
    } else {
      passed.push(`${who} GET /executions: own history only`);
    }
    const foreignTenant = owner === a ? recordA.tenantId : input.recordB.tenantId;
    const forged = await probe(
      context,
      `${routePath({ name: 'executions' })}?limit=100&tenantId=${encodeURIComponent(foreignTenant)}&tenant_id=${encodeURIComponent(foreignTenant)}`,
      { ...reader.credential.headers, 'x-tenant-id': foreignTenant, 'x-agentry-tenant': foreignTenant },
    );
    probes += 1;
    if (typeof forged !== 'string' && mentionsAny(forged.body, foreignIds)) {
      leaks.push(
        `${who} GET /executions?tenantId=${foreignTenant} (and x-tenant-id) lists the other tenant’s execution`,
      );
    } else {
      passed.push(`${who} GET /executions with a forged tenant id in the query and headers: ignored`);
    }
    for (const route of OPTIONAL_ROUTES) {
      const label = `${who} ${route.method} /executions/:id/${route.name}`;
      const foreignResponse = await probe(context, route.path(foreignId), reader.credential.headers, {
        method: route.method,
        ...('accept' in route ? { accept: route.accept } : {}),
      });
      // Offered? Ask the owner about its own execution: an older server answers 404/405 to both.
      const own = await probe(context, route.path(foreignId), owner.credential.headers, {
        method: route.method,
        ...('accept' in route ? { accept: route.accept } : {}),
      });
      const offered = typeof own !== 'string' && own.status !== 404 && own.status !== 405;
      if (!offered) {
        probes += 1;
        if (typeof foreignResponse !== 'string' && foreignResponse.status >= 200 && foreignResponse.status < 300) {
          leaks.push(`${label}: answered ${foreignResponse.status} to the other tenant`);
        } else {
          const note = `${route.method} /executions/:id/${route.name}: not offered by this server (the owner gets ${typeof own === 'string' ? own : own.status})`;
          if (!notOffered.has(note)) notes.push(note);
          notOffered.add(note);
        }
        continue;
      }
      expectNoData(label, foreignResponse, foreign);
    }
  }
  // Tenant-owned agents: B must not run an agent only A sees.
  const agentsB = new Set(b.agents.map((agent) => agent.id));
  for (const agent of a.agents.filter((candidate) => !agentsB.has(candidate.id))) {
    const response = await probe(context, routePath({ name: 'execute', agentId: agent.id }), b.credential.headers, {
      method: 'POST',
      body: JSON.stringify({ input: agent.example ?? {}, mode: 'mock' }),
    });
    probes += 1;
    if (typeof response !== 'string' && response.status >= 200 && response.status < 300) {
      leaks.push(`B → A POST /agents/${agent.id}/executions: B ran A’s own agent (${response.status})`);
    } else {
      passed.push(
        `B → A POST /agents/${agent.id}/executions: ${typeof response === 'string' ? response : describe(response)}`,
      );
    }
  }
  // A tenant id in the body is never trusted: the record is B's.
  if (input.agentB) {
    const response = await probe(
      context,
      routePath({ name: 'execute', agentId: input.agentB.agent.id }),
      { ...b.credential.headers, 'x-tenant-id': recordA.tenantId },
      { method: 'POST', body: JSON.stringify({ input: input.agentB.input, mode: 'mock', tenantId: recordA.tenantId }) },
    );
    probes += 1;
    const tenantId =
      typeof response === 'string' ? undefined : (response.json as { tenantId?: unknown } | undefined)?.tenantId;
    if (tenantId === recordA.tenantId) {
      leaks.push(
        `B POST /agents/${input.agentB.agent.id}/executions with "tenantId": "${recordA.tenantId}" in the body ran as tenant A`,
      );
    } else {
      passed.push(
        `B POST with a forged tenantId in the body and x-tenant-id: ran as ${String(tenantId ?? 'no record')}`,
      );
    }
  }
  context.progress.done();
  return [
    check(
      'isolation',
      title,
      leaks.length > 0 ? 'fail' : 'pass',
      leaks.length > 0
        ? `${leaks.length} leak${leaks.length === 1 ? '' : 's'} in ${probes} probes`
        : `${probes} probes, no data crossed tenants (${recordA.tenantId} ↔ ${input.recordB.tenantId})`,
      [...leaks, ...notes, ...passed],
    ),
  ];
}

/**
 * Anonymous access: every route without a credential, and with a made-up one, answers 401 or
 * 404 and never data. `GET /health` may answer (public by default) but without provider messages.
 */
export async function checkAnonymous(context: VerifyContext, input: IsolationInput): Promise<CheckResult> {
  const title = 'Anonymous access: 401/404, never data';
  const recordA = input.recordsA[0];
  const id = recordA?.id ?? 'exec_verify_missing';
  const agentId = context.a.agents[0]?.id ?? 'verify-missing-agent';
  const routes: { label: string; path: string; method: string; body?: string; accept?: string }[] = [
    { label: 'GET /agents', path: routePath({ name: 'agents' }), method: 'GET' },
    { label: 'GET /executions', path: routePath({ name: 'executions' }), method: 'GET' },
    { label: 'GET /executions/:id', path: routePath({ name: 'execution', executionId: id }), method: 'GET' },
    {
      label: 'POST /agents/:id/executions',
      path: routePath({ name: 'execute', agentId }),
      method: 'POST',
      body: JSON.stringify({ input: context.a.agents[0]?.example ?? {}, mode: 'mock' }),
    },
    ...OPTIONAL_ROUTES.map((route) => ({
      label: `${route.method} /executions/:id/${route.name}`,
      path: route.path(id),
      method: route.method,
      ...('accept' in route ? { accept: route.accept } : {}),
    })),
  ];
  const failures: string[] = [];
  const passed: string[] = [];
  const callers: [string, Headers][] = [
    ['anonymous', {}],
    ['made-up bearer token', { authorization: 'Bearer agentry-verify-not-a-real-token' }],
  ];
  for (const [caller, headers] of callers) {
    for (const route of routes) {
      const response = await probe(context, route.path, headers, {
        method: route.method,
        ...(route.body !== undefined ? { body: route.body } : {}),
        ...(route.accept ? { accept: route.accept } : {}),
      });
      const label = `${caller} ${route.label}`;
      if (typeof response === 'string') {
        failures.push(`${label}: ${response} (expected 401 or 404)`);
      } else if (response.status === 401 || response.status === 404 || response.status === 405) {
        const leaked = foreignDataIn(response.body, input.recordsA);
        if (leaked) failures.push(`${label}: ${describe(response)} but the body carries tenant A’s data (${leaked})`);
        else passed.push(`${label}: ${describe(response)}`);
      } else {
        failures.push(`${label}: answered ${describe(response)} (expected 401 or 404)`);
      }
    }
  }
  const health = await probe(context, routePath({ name: 'health' }), {});
  if (typeof health !== 'string' && health.status < 300) {
    const providers =
      (health.json as { providers?: Record<string, { message?: unknown }> } | undefined)?.providers ?? {};
    const withMessages = Object.entries(providers).filter(([, value]) => value?.message !== undefined);
    if (withMessages.length > 0) {
      failures.push(
        `anonymous GET /health shows provider messages (${withMessages.map(([key]) => key).join(', ')}): they can name internal hosts`,
      );
    } else {
      passed.push('anonymous GET /health: status only (public by default)');
    }
  } else {
    passed.push(`anonymous GET /health: ${typeof health === 'string' ? health : describe(health)}`);
  }
  const total = routes.length * callers.length + 1;
  return check(
    'anonymous',
    title,
    failures.length > 0 ? 'fail' : 'pass',
    failures.length > 0
      ? `${failures.length} of ${total} probes answered wrongly`
      : `${total} probes: 401/404, no data`,
    [...failures, ...passed],
  );
}
