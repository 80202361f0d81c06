// The panel offers Live only when the executor's one availability check says live can run: a
// provider without its API key (configured: false) disables Live, with the reason in words.
import { mockProvider, type ProviderAdapter } from '@agentry/core';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createTestExecutor } from '../../test/agents';
import { expectNoAxeViolations } from '../../test/axe';
import { TestPanel } from './test-panel';

/** A provider that is registered but has no API key, as `openaiProvider()` without OPENAI_API_KEY. */
const unconfigured: ProviderAdapter = { ...mockProvider(), id: 'openai', simulated: false, configured: false };

async function renderPanel(element: React.ReactElement) {
  const view = render(element);
  await act(async () => {});
  return view;
}

describe('TestPanel: live availability', () => {
  it('disables Live, with the reason, when the live provider has no API key', async () => {
    const executor = createTestExecutor({ live: { enabled: true }, providers: { openai: unconfigured } });
    const { container } = await renderPanel(<TestPanel executor={executor} agentId="summarize" defaultMode="live" />);
    const live = screen.getByRole('radio', { name: 'Live' });
    expect(live).toBeDisabled();
    expect(live).toHaveAccessibleDescription(
      'Live mode is not set up on this server yet (the "openai" provider is not configured). Use mock mode, or ask an administrator to set it up.',
    );
    expect(screen.getByRole('radio', { name: 'Mock' })).toBeChecked();
    await expectNoAxeViolations(container);
  });

  it('offers Live when the same provider is configured', async () => {
    const executor = createTestExecutor({
      live: { enabled: true },
      providers: { openai: { ...unconfigured, configured: true } },
    });
    await renderPanel(<TestPanel executor={executor} agentId="summarize" defaultMode="live" />);
    expect(screen.getByRole('radio', { name: 'Live' })).toBeEnabled();
    expect(screen.getByRole('radio', { name: 'Live' })).toBeChecked();
  });
});
