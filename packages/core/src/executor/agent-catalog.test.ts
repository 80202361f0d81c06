// Which agents a tenant may see and run (agent-catalog.ts), through the executor's own API:
// `getAgent`, `listAgents` and `execute`. The executor's agents and the host's `resolveAgent` /
// `listAgents` answers all pass the same tenant guard; these tests pin what each lookup answers.
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { type AnyAgent, defineAgent } from '../agent';
import { AgentryError } from '../errors';
import type { Logger } from '../logging';
import { createExecutor } from './create-executor';

const tenantA = { tenantId: 'ws_a', userId: 'u1' };

function agent(id: string, tenantId?: string, name = id): AnyAgent {
  return defineAgent({
    id,
    name,
    input: z.object({}),
    prompt: () => 'go',
    mock: () => `${name} answers`,
    ...(tenantId === undefined ? {} : { tenantId }),
  }) as AnyAgent;
}

function recordingLogger() {
  const lines: { level: string; event: string; fields: Record<string, unknown> | undefined }[] = [];
  const at = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push({ level, event, fields });
  };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

async function refusal(promise: Promise<unknown>): Promise<AgentryError> {
  try {
    await promise;
  } catch (error) {
    return error as AgentryError;
  }
  throw new Error('expected a refusal');
}

describe('getAgent: which agent an id names for a tenant', () => {
  it('refuses an id that is not a non-empty string, naming the field', async () => {
    const executor = createExecutor({ agents: [agent('a')] });
    for (const id of ['', 7, undefined]) {
      const error = await refusal(executor.getAgent(id as string, tenantA));
      expect(error).toMatchObject({
        code: 'validation_failed',
        message: 'agentId must be a non-empty string.',
        issues: [{ path: ['agentId'], message: 'Expected the id of an agent.' }],
      });
    }
  });

  it("finds the executor's own agent without asking the host", async () => {
    const resolveAgent = vi.fn();
    const own = agent('a');
    const executor = createExecutor({ agents: [own], resolveAgent });
    expect(await executor.getAgent('a', tenantA)).toBe(own);
    expect(resolveAgent).not.toHaveBeenCalled();
  });

  it("asks the host past another tenant's agent of that id, and answers not_found for a missing one", async () => {
    const foreign = agent('a', 'ws_b');
    const mine = agent('a', 'ws_a', 'mine');
    const resolveAgent = vi.fn(async (id: string) => (id === 'a' ? mine : undefined));
    const executor = createExecutor({ agents: [foreign], resolveAgent });
    expect(await executor.getAgent('a', tenantA)).toBe(mine);
    expect(resolveAgent).toHaveBeenCalledWith('a', tenantA);
    const missing = await refusal(executor.getAgent('zzz', tenantA));
    expect(missing).toMatchObject({ code: 'not_found', message: 'No agent "zzz" in this workspace.' });
    const withoutHost = createExecutor({ agents: [foreign] });
    expect(await refusal(withoutHost.getAgent('a', tenantA))).toMatchObject({
      code: 'not_found',
      message: 'No agent "a" in this workspace.',
    });
  });

  it('answers not_found for what the host resolves to another tenant, another id or no agent at all', async () => {
    for (const answer of [agent('a', 'ws_b'), agent('other'), { id: 'a', name: 'fake' }, null]) {
      const executor = createExecutor({ resolveAgent: async () => answer as never });
      expect(await refusal(executor.getAgent('a', tenantA))).toMatchObject({
        code: 'not_found',
        message: 'No agent "a" in this workspace.',
      });
    }
  });
});

describe('listAgents: the agents a tenant may run', () => {
  it("lists the executor's agents first, then the host's, each id once and the executor's winning", async () => {
    const executor = createExecutor({
      agents: [agent('a'), agent('b', 'ws_a')],
      listAgents: async () => [agent('c'), agent('a', undefined, 'host a'), agent('c', undefined, 'second c')],
    });
    const listed = await executor.listAgents(tenantA);
    expect(listed.map((summary) => [summary.id, summary.name])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['c', 'c'],
    ]);
  });

  it("leaves out another tenant's agents and broken ones; only the host's are logged, with why", async () => {
    const { logger, lines } = recordingLogger();
    const executor = createExecutor({
      agents: [agent('theirs-own', 'ws_b'), agent('mine')],
      logger,
      listAgents: async () => [agent('theirs', 'ws_b'), { id: 'fake' } as unknown as AnyAgent, agent('hosted')],
    });
    const listed = await executor.listAgents(tenantA);
    expect(listed.map((summary) => summary.id)).toEqual(['mine', 'hosted']);
    const hidden = lines.filter((line) => line.event === 'agentry.tenant.agent_hidden');
    expect(hidden.map((line) => [line.level, line.fields])).toEqual([
      ['warn', { tenant_id: 'ws_a', reason: 'foreign' }],
      ['warn', { tenant_id: 'ws_a', reason: 'malformed' }],
    ]);
  });

  it('fails in its own words when the host’s listAgents throws, logging what it threw', async () => {
    const { logger, lines } = recordingLogger();
    const executor = createExecutor({
      logger,
      listAgents: async () => {
        throw new Error('db down at 10.0.0.7');
      },
    });
    const error = await refusal(executor.listAgents(tenantA));
    expect(error).toMatchObject({
      code: 'internal',
      message: "The host's listAgents failed; the details are in the server log.",
    });
    expect(JSON.stringify(lines)).toContain('10.0.0.7');
    expect(lines.some((line) => line.fields?.site === 'listAgents' && line.fields?.tenant_id === 'ws_a')).toBe(true);
  });

  it('keeps the words of a deliberate AgentryError from listAgents', async () => {
    const executor = createExecutor({
      listAgents: async () => {
        throw new AgentryError('rate_limited', 'Too many listings.');
      },
    });
    expect(await refusal(executor.listAgents(tenantA))).toMatchObject({
      code: 'rate_limited',
      message: 'Too many listings.',
    });
  });

  it('refuses an answer that is not a list, saying what it was', async () => {
    for (const [answer, kind] of [
      [null, 'null'],
      [{ agents: [] }, 'object'],
      ['a', 'string'],
    ] as const) {
      const { logger, lines } = recordingLogger();
      const executor = createExecutor({ logger, listAgents: async () => answer as never });
      const error = await refusal(executor.listAgents(tenantA));
      expect(error).toMatchObject({
        code: 'internal',
        message:
          "The host's listAgents answered something that is not a list of agents; the details are in the server log.",
      });
      expect(JSON.stringify(lines)).toContain(`listAgents() must return an array of agents, got ${kind}.`);
      expect(lines.some((line) => line.fields?.site === 'listAgents' && line.fields?.tenant_id === 'ws_a')).toBe(true);
    }
  });

  it('lists only its own agents when the host has no listAgents, and warns of nothing', async () => {
    const { logger, lines } = recordingLogger();
    const executor = createExecutor({ agents: [agent('a')], resolveAgent: async () => agent('b'), logger });
    expect((await executor.listAgents(tenantA)).map((summary) => summary.id)).toEqual(['a']);
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
  });
});
