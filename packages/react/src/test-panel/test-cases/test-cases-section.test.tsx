// The saved test cases inside the panel, through the real client and handler (a memory store).
import { createExecutor, createMemoryTestCaseStore, defineAgent } from '@agentry/core';
import { createClient } from '@agentry/core/client';
import { createHandler } from '@agentry/core/server';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { expectNoAxeViolations } from '../../../test/axe';
import { TestPanel } from '../test-panel';
import { defaultTestCaseLabels as T } from './test-case-labels';

const shout = defineAgent({
  id: 'shout',
  name: 'Shout',
  input: z.object({ text: z.string().min(1) }),
  output: z.object({ loud: z.string() }),
  example: { text: 'hello' },
  prompt: ({ text }) => text,
  mock: ({ text }) => ({ loud: text.toUpperCase() }),
});

function setup(options: { testCases?: boolean } = {}) {
  const executor = createExecutor({ agents: [shout] });
  const store = createMemoryTestCaseStore();
  const handler = createHandler({
    executor,
    basePath: '/api/agentry',
    resolveTenant: () => ({ tenantId: 'acme', userId: 'alice' }),
    ...(options.testCases === false ? {} : { testCases: { store } }),
  });
  const client = createClient({
    baseUrl: 'http://app.test/api/agentry',
    fetch: (input, init) => handler(new Request(input, init)),
    retry: 0,
  });
  return { client, store };
}

/** Waits for `check` with RTL's waitFor, which lets React render between tries (act inside). */
const settle = (check: () => void) => waitFor(check, { timeout: 4000 });

describe('TestPanel saved test cases', () => {
  it('saves the current input with expectations, runs all, and shows pass/fail with reasons', async () => {
    const { client, store } = setup();
    const { container } = render(<TestPanel client={client} agentId="shout" defaultInputView="json" />);
    await settle(() => expect(screen.getByText(T.testCasesEmpty)).toBeInTheDocument());
    await expectNoAxeViolations(container);

    // A case that expects the schema and a contains that passes.
    fireEvent.click(screen.getByRole('button', { name: T.saveAsTestCase }));
    const form = await screen.findByRole('form', { name: T.saveAsTestCase });
    expect(within(form).getByLabelText(T.expectSchemaValid)).toBeChecked();
    expect(within(form).getByLabelText(T.expectEquals)).toBeDisabled();
    fireEvent.change(within(form).getByLabelText(T.testCaseName), { target: { value: 'Loud hello' } });
    fireEvent.click(within(form).getByLabelText(T.expectContains));
    fireEvent.change(within(form).getByRole('textbox', { name: T.expectContains }), {
      target: { value: '{"loud": "HELLO"}' },
    });
    await expectNoAxeViolations(container);
    fireEvent.click(within(form).getByRole('button', { name: T.save }));
    await settle(() => expect(screen.getByText('Loud hello')).toBeInTheDocument());
    const [saved] = await store.list('acme', 'shout');
    expect(saved).toMatchObject({
      name: 'Loud hello',
      input: { text: 'hello' },
      expectations: { schemaValid: true, contains: { loud: 'HELLO' } },
    });

    // One that cannot pass: its contains is plain text, which an object output never contains.
    fireEvent.click(screen.getByRole('button', { name: T.saveAsTestCase }));
    const second = await screen.findByRole('form', { name: T.saveAsTestCase });
    fireEvent.click(within(second).getByLabelText(T.expectContains));
    fireEvent.change(within(second).getByRole('textbox', { name: T.expectContains }), { target: { value: 'quiet' } });
    fireEvent.click(within(second).getByRole('button', { name: T.save }));
    await settle(() => expect(screen.getByText(T.defaultTestCaseName(2))).toBeInTheDocument());

    fireEvent.click(screen.getByRole('button', { name: T.runAll('Mock') }));
    await settle(() => expect(screen.getByText(T.summary(1, 1, 2, 'Mock'))).toBeInTheDocument());
    const items = container.querySelectorAll('.agentry-cases__item');
    expect([...items].map((item) => item.getAttribute('data-state'))).toEqual(['passed', 'failed']);
    fireEvent.click(screen.getByRole('button', { name: T.showDetails }));
    expect(
      screen.getByText(/Expected the output to contain "quiet", got \{"loud":"HELLO"\} \(object instead of string\)/),
    ).toBeInTheDocument();
    await expectNoAxeViolations(container);
  });

  it('shows the server’s reasons when a save is refused', async () => {
    const { client } = setup();
    render(<TestPanel client={client} agentId="shout" defaultInputView="json" />);
    await settle(() => expect(screen.getByText(T.testCasesEmpty)).toBeInTheDocument());
    fireEvent.click(screen.getByRole('button', { name: T.saveAsTestCase }));
    const form = await screen.findByRole('form', { name: T.saveAsTestCase });
    fireEvent.change(within(form).getByLabelText(T.testCaseName), { target: { value: 'x'.repeat(120) } });
    // The field caps at 120; a whitespace-only name is refused by the button before the server.
    fireEvent.change(within(form).getByLabelText(T.testCaseName), { target: { value: '   ' } });
    expect(within(form).getByRole('button', { name: T.save })).toBeDisabled();
    fireEvent.change(within(form).getByLabelText(T.testCaseName), { target: { value: 'ok' } });
    fireEvent.click(within(form).getByLabelText(T.expectMaxLatency));
    fireEvent.change(within(form).getByRole('spinbutton', { name: T.expectMaxLatency }), { target: { value: '-5' } });
    fireEvent.click(within(form).getByRole('button', { name: T.save }));
    await settle(() =>
      expect(within(form).getByRole('alert').textContent).toMatch(/Takes at most \(ms\): a number ≥ 0/),
    );
  });

  it('stays out of the way when the server has no test cases', async () => {
    const { client } = setup({ testCases: false });
    const { container } = render(<TestPanel client={client} agentId="shout" />);
    await settle(() => expect(screen.getByRole('button', { name: 'Run' })).toBeInTheDocument());
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(container.querySelector('.agentry-cases')).toBeNull();
  });

  it('is off with testCases={false}', async () => {
    const { client } = setup();
    const { container } = render(<TestPanel client={client} agentId="shout" testCases={false} />);
    await settle(() => expect(screen.getByRole('button', { name: 'Run' })).toBeInTheDocument());
    expect(container.querySelector('.agentry-cases')).toBeNull();
  });
});
