import { type AgentService, mockProvider, type TenantContext } from '@agentry/core';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestExecutor } from '../../../test/agents';
import { expectNoAxeViolations } from '../../../test/axe';
import { TestPanel } from '../test-panel';
// The panel loads these lazily: imported here first, so a busy machine does not make the tests wait on a transform.
import './compare-view';
import './history-section';
import { defaultHistoryLabels as H } from './history-labels';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));
const setup = () => userEvent.setup({ advanceTimers: vi.advanceTimersByTime });

const editor = () => {
  const json = screen.queryByRole('button', { name: 'JSON', pressed: false });
  if (json) fireEvent.click(json);
  return screen.getByRole('textbox', { name: 'Input' }) as HTMLTextAreaElement;
};
const typeJson = (text: string) => fireEvent.change(editor(), { target: { value: text } });
const history = () => screen.getByRole('region', { name: H.history });
const entries = () =>
  within(history())
    .queryAllByRole('listitem')
    .filter((item) => item.dataset.state);
const entryNamed = (name: string) => {
  const entry = entries().find((item) => item.querySelector('.agentry-history__name')?.textContent === name);
  if (!entry) throw new Error(`no history entry named ${name}`);
  return entry;
};

/** An instant executor (no scripted latency), so many runs take no fake time. */
const instantExecutor = () => createTestExecutor({ providers: { mock: mockProvider() } });

async function runWith(user: ReturnType<typeof setup>, text: string) {
  typeJson(text);
  await user.click(screen.getByRole('button', { name: 'Run' }));
  await advance(5000);
}

describe('TestPanel history (server-kept)', () => {
  it('lists the service’s runs with name, status, mode, duration, time and input preview, and keeps them over a reload', async () => {
    const executor = createTestExecutor();
    const user = setup();
    const view = render(<TestPanel executor={executor} agentId="summarize" />);
    await advance(0);
    for (let tries = 0; tries < 50 && !screen.queryByText(H.historyEmpty); tries += 1) await advance(10);
    expect(screen.getByText(H.historyEmpty)).toBeInTheDocument();
    await runWith(user, '{ "text": "First run." }');
    await runWith(user, '{ "text": "Second run, longer.", "style": "detailed" }');

    expect(entries().map((entry) => entry.querySelector('.agentry-history__name')?.textContent)).toEqual([
      'Second run, longer.',
      'First run.',
    ]);
    const second = entryNamed('Second run, longer.');
    expect(second).toHaveTextContent('Succeeded');
    expect(second?.textContent).toMatch(/Mock · \d+ ms · /);
    expect(second.querySelector('time')).toHaveAttribute('dateTime');
    expect(second).toHaveTextContent('{"text":"Second run, longer.","style":"detailed"}');
    expect(within(second).getByRole('button', { name: /^Second run, longer\./ })).toHaveAttribute(
      'aria-current',
      'true',
    );
    await expectNoAxeViolations(view.container);

    // A reload: a new panel on the same service lists the same runs, read from the service.
    view.unmount();
    render(<TestPanel executor={executor} agentId="summarize" />);
    await advance(0);
    expect(entries()).toHaveLength(2);
  });

  it('shows a picked run’s output, marks runs made with other input as stale, and restores input undoably', async () => {
    const user = setup();
    render(<TestPanel executor={createTestExecutor()} agentId="summarize" />);
    await advance(0);
    await runWith(user, '{ "text": "First." }');
    await runWith(user, '{ "text": "Second." }');
    expect(entryNamed('First.')).toHaveAttribute('data-stale', 'true');
    expect(within(entryNamed('First.')).getByText(H.historyStale)).toBeInTheDocument();
    expect(entryNamed('Second.')).not.toHaveAttribute('data-stale');
    expect(screen.queryByText('Input changed since this run')).not.toBeInTheDocument();

    // Picking a run shows it; the editor keeps its text, so the shown run is marked stale.
    await user.click(within(entryNamed('First.')).getByRole('button', { name: /^First\./ }));
    expect(screen.getByRole('log')).toHaveTextContent('Summary: First.');
    expect(JSON.parse(editor().value)).toEqual({ text: 'Second.' });
    expect(screen.getByText('Input changed since this run')).toBeInTheDocument();

    // Typing marks every run whose input differs.
    typeJson('{ "text": "Draft being written." }');
    await advance(0);
    expect(entries().every((entry) => entry.dataset.stale === 'true')).toBe(true);

    // Restore input replaces the draft as one undoable step.
    await user.click(within(entryNamed('First.')).getByRole('button', { name: H.historyRestore }));
    expect(JSON.parse(editor().value)).toEqual({ text: 'First.', style: 'brief' });
    expect(entryNamed('First.')).not.toHaveAttribute('data-stale');
    expect(screen.queryByText('Input changed since this run')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(JSON.parse(editor().value)).toEqual({ text: 'Draft being written.' });
  });

  it('re-runs a run’s input in its mode without touching the editor', async () => {
    const onRun = vi.fn();
    const user = setup();
    render(<TestPanel executor={createTestExecutor()} agentId="summarize" onRun={onRun} />);
    await advance(0);
    await runWith(user, '{ "text": "Again." }');
    typeJson('{ "text": "Something else." }');
    await user.click(within(entryNamed('Again.')).getByRole('button', { name: H.historyRerun }));
    // While it runs, nothing else can be re-run or shown.
    expect(within(entries()[0] as HTMLElement).getByRole('button', { name: H.historyRerun })).toBeDisabled();
    await advance(5000);
    expect(onRun).toHaveBeenLastCalledWith({
      agentId: 'summarize',
      input: { text: 'Again.', style: 'brief' },
      mode: 'mock',
    });
    expect(entries()).toHaveLength(2);
    expect(entries().every((entry) => entry.querySelector('.agentry-history__name')?.textContent === 'Again.')).toBe(
      true,
    );
    expect(screen.getByRole('log')).toHaveTextContent('Summary: Again.');
    expect(JSON.parse(editor().value)).toEqual({ text: 'Something else.' });
    expect(screen.getByText('Input changed since this run')).toBeInTheDocument();
  });

  it('lists the new tenant’s runs on a tenant switch and never the previous tenant’s', async () => {
    const executor = instantExecutor();
    const alpha: TenantContext = { tenantId: 'ws_alpha', userId: 'u1' };
    const beta: TenantContext = { tenantId: 'ws_beta', userId: 'u2' };
    await executor.forTenant(beta).execute({ agentId: 'summarize', input: { text: 'Beta’s own run.' }, mode: 'mock' });
    const user = setup();
    const view = render(<TestPanel executor={executor} tenant={alpha} agentId="summarize" />);
    await advance(0);
    await runWith(user, '{ "text": "Alpha secret." }');
    expect(entries()).toHaveLength(1);

    view.rerender(<TestPanel executor={executor} tenant={beta} agentId="summarize" />);
    expect(screen.queryByText('Alpha secret.')).not.toBeInTheDocument();
    await advance(0);
    expect(entries().map((entry) => entry.querySelector('.agentry-history__name')?.textContent)).toEqual([
      'Beta’s own run.',
    ]);
  });

  it('reloads on a workspace switch with one client for the page (the server reads the workspace from a cookie)', async () => {
    const executor = instantExecutor();
    let workspace: TenantContext = { tenantId: 'ws_alpha', userId: 'u1' };
    await executor.forTenant(workspace).execute({ agentId: 'summarize', input: { text: 'Alpha run.' }, mode: 'mock' });
    await executor
      .forTenant({ tenantId: 'ws_beta', userId: 'u1' })
      .execute({ agentId: 'summarize', input: { text: 'Beta run.' }, mode: 'mock' });
    // One client object; which tenant it sees depends on the "cookie".
    const client = new Proxy({} as AgentService, {
      get: (_target, key) => {
        const handle = executor.forTenant(workspace) as unknown as Record<PropertyKey, unknown>;
        const value = handle[key];
        return typeof value === 'function' ? value.bind(handle) : value;
      },
    });
    const view = render(<TestPanel client={client} tenant={workspace} agentId="summarize" />);
    await advance(0);
    expect(entries().map((entry) => entry.querySelector('.agentry-history__name')?.textContent)).toEqual([
      'Alpha run.',
    ]);
    workspace = { tenantId: 'ws_beta', userId: 'u1' };
    view.rerender(<TestPanel client={client} tenant={workspace} agentId="summarize" />);
    expect(screen.queryByText('Alpha run.')).not.toBeInTheDocument();
    await advance(0);
    expect(entries().map((entry) => entry.querySelector('.agentry-history__name')?.textContent)).toEqual(['Beta run.']);
  });

  it('pages with "Load more" and with the scroll sentinel', async () => {
    const executor = instantExecutor();
    const tenant: TenantContext = { tenantId: 'local', userId: 'local' };
    for (let index = 1; index <= 45; index += 1) {
      await executor
        .forTenant(tenant)
        .execute({ agentId: 'summarize', input: { text: `Run ${index}.` }, mode: 'mock' });
    }
    const observers: { callback: IntersectionObserverCallback; target?: Element }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        record: { callback: IntersectionObserverCallback; target?: Element };
        constructor(callback: IntersectionObserverCallback) {
          this.record = { callback };
          observers.push(this.record);
        }
        observe(target: Element) {
          this.record.target = target;
        }
        disconnect() {
          this.record.target = undefined;
        }
      },
    );
    const user = setup();
    render(<TestPanel executor={executor} agentId="summarize" />);
    await advance(0);
    expect(entries()).toHaveLength(20);
    expect(entries()[0]).toHaveTextContent('Run 45.');

    await user.click(screen.getByRole('button', { name: H.historyLoadMore }));
    await advance(0);
    expect(entries()).toHaveLength(40);

    // The sentinel scrolled into view loads the last page.
    const watching = observers.find((observer) => observer.target);
    if (!watching?.target) throw new Error('the sentinel is not observed');
    act(() =>
      watching.callback(
        [{ isIntersecting: true, target: watching.target } as IntersectionObserverEntry],
        {} as IntersectionObserver,
      ),
    );
    await advance(0);
    expect(entries()).toHaveLength(45);
    expect(entries()[44]).toHaveTextContent('Run 1.');
    expect(screen.queryByRole('button', { name: H.historyLoadMore })).not.toBeInTheDocument();
  });

  it('says when the history cannot be loaded and loads it again on request', async () => {
    const executor = createTestExecutor();
    const handle = executor.forTenant({ tenantId: 'local', userId: 'local' });
    let fail = true;
    const service: AgentService = {
      ...handle,
      listAgents: handle.listAgents.bind(handle),
      stream: handle.stream.bind(handle),
      getExecution: handle.getExecution.bind(handle),
      listExecutions: (options) => {
        if (fail) return Promise.reject(new TypeError('Failed to fetch'));
        return handle.listExecutions(options);
      },
    } as AgentService;
    const user = setup();
    render(<TestPanel client={service} agentId="summarize" />);
    await advance(0);
    expect(within(history()).getByRole('alert')).toHaveTextContent(H.historyFailed);
    fail = false;
    await user.click(within(history()).getByRole('button', { name: H.historyRetry }));
    await advance(0);
    expect(within(history()).queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByText(H.historyEmpty)).toBeInTheDocument();
  });

  it('compares two picked runs: metric deltas with signs and units, the output diff in words', async () => {
    const user = setup();
    const { container } = render(<TestPanel executor={createTestExecutor()} agentId="extract" />);
    await advance(0);
    await runWith(user, '{ "url": "https://example.com", "limit": 2 }');
    await runWith(user, '{ "url": "https://example.com", "limit": 3 }');
    const compare = screen.getByRole('button', { name: H.historyCompare(0) });
    expect(compare).toBeDisabled();
    const boxes = within(history()).getAllByRole('checkbox');
    await user.click(boxes[0] as HTMLElement);
    await user.click(boxes[1] as HTMLElement);
    await user.click(screen.getByRole('button', { name: H.historyCompare(2) }));
    await advance(0);

    // The compare view is a lazy chunk: let it arrive.
    for (let tries = 0; tries < 50 && !screen.queryByRole('region', { name: H.compareTitle }); tries += 1) {
      await advance(10);
    }
    const view = screen.getByRole('region', { name: H.compareTitle });
    expect(within(view).getByRole('heading', { name: H.compareTitle })).toHaveFocus();
    const table = within(view).getByRole('table');
    const row = (name: string) => within(table).getByRole('row', { name: new RegExp(`^${name}`) });
    expect(row('Tokens out')?.textContent).toMatch(/[+−±]\d+ tokens$/);
    expect(row('Duration')?.textContent).toMatch(/(\+|−|±)\d+(\.\d+)? ms$/);
    // The mock's price is known; unknown figures would read "—".
    expect(row('Cost')?.textContent).toMatch(/USD$|—$/);
    // The output diff names what changed: one link added at $.links[2].
    expect(within(view).getByRole('heading', { name: /^Output/ })).toHaveTextContent('1 difference');
    expect(within(view).getByRole('heading', { name: /^Input/ })).toHaveTextContent('1 difference');
    const added = within(view).getByText('$.links[2]').closest('li');
    expect(added).toHaveTextContent('Added');
    expect(added).toHaveTextContent('"https://example.com/page-3"');
    expect(within(view).getByText('$.limit').closest('li')?.textContent).toMatch(/Changed.*2.*3/);
    await expectNoAxeViolations(container);

    fireEvent.keyDown(view, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: H.compareTitle })).not.toBeInTheDocument();
  });
});
