import { describe, expect, it } from 'vitest';
import { echo } from '../../test/agents';
import { mockProvider } from '../providers/mock/mock-provider';
import { createExecutor } from './create-executor';

const tenant = { tenantId: 'ws_1', userId: 'user_1' };

describe('listAgents publishes the input limit', () => {
  it('says the executor’s maxInputBytes on every agent, so a UI can show a size counter', async () => {
    const executor = createExecutor({
      agents: [echo],
      providers: { mock: mockProvider() },
      limits: { maxInputBytes: 12_345 },
    });
    const [summary] = await executor.listAgents(tenant);
    expect(summary?.maxInputBytes).toBe(12_345);
  });

  it('uses the default limit when none is set', async () => {
    const executor = createExecutor({ agents: [echo], providers: { mock: mockProvider() } });
    expect((await executor.listAgents(tenant))[0]?.maxInputBytes).toBe(64_000);
  });
});
