import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentSummary } from '../../index';
import { createScriptedService } from './run-store.test-support';

// The store loads the full input checks (`@agentry/core/client/validation`) on demand; each test
// imports a fresh copy of the store so that they are not loaded yet.

const agent: AgentSummary = {
  id: 'summarize',
  name: 'Summarizer',
  inputSchema: { type: 'object', properties: { text: { type: 'string', minLength: 1 } }, required: ['text'] },
  example: { text: 'Hello.' },
  modes: ['mock'],
  live: { available: false },
};

async function freshStore() {
  vi.resetModules();
  const { createRunStore } = await import('./create-run-store');
  const sent: unknown[] = [];
  const service = createScriptedService([agent], (options) => {
    sent.push(options.input);
    return undefined;
  });
  const store = createRunStore({ service, agentId: 'summarize' });
  await store.loadAgents();
  return { store, sent };
}

afterEach(() => {
  vi.doUnmock('../validation');
  vi.resetModules();
});

describe('the input checks, loaded on demand', () => {
  it('shows JSON as checking until the validator is here, then checks it', async () => {
    const { store } = await freshStore();
    store.setInput('{"text": ""}');
    // Synchronously after the edit the validator may still be loading: never "valid" before it has looked.
    expect(['checking', 'schema-invalid']).toContain(store.getSnapshot().input.state);
    const checked = await store.checkedInput();
    expect(checked.state).toBe('schema-invalid');
    expect(checked.issues[0]?.path).toEqual(['text']);
    expect(store.getSnapshot().input).toBe(checked);
  });

  it('tells text that is not JSON at once, and where once the checks are here', async () => {
    const { store } = await freshStore();
    store.setInput('{"text": hi}');
    expect(store.getSnapshot().input.state).toBe('invalid-json');
    const checked = await store.checkedInput();
    expect(checked.issues[0]).toMatchObject({ code: 'json_syntax', line: 1, column: 10 });
  });

  it('submit waits for the check and refuses input the schema refuses', async () => {
    const { store, sent } = await freshStore();
    store.setInput('{"text": ""}');
    await expect(store.submit()).resolves.toBeUndefined();
    store.setInput('{"text": "ok"}');
    await store.submit();
    expect(sent).toEqual([{ text: 'ok' }]);
  });

  it('leaves the schema to the service when the checks cannot be loaded', async () => {
    vi.doMock('../validation', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const { store, sent } = await freshStore();
    store.setInput('{"text": ""}');
    const checked = await store.checkedInput();
    // The service validates every input again: the run is sent and its answer shown.
    expect(checked.state).toBe('valid');
    store.setInput('{"text": hi}');
    expect(store.getSnapshot().input).toMatchObject({ state: 'invalid-json', issues: [{ code: 'json_syntax' }] });
    store.setInput('{"text": ""}');
    await store.submit();
    expect(sent).toEqual([{ text: '' }]);
  });
});
