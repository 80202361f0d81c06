// The page bench/panel-browser.bench.mjs drives in Chromium: the TestPanel built from source in
// production mode, with a service that lists agents and never runs (no network), and the output
// view on its own. Each scenario mounts a fresh root; the script reads the figures it leaves.
import type { AgentService, AgentSummary, ExecutionResult } from '@agentry/core';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { OutputView, TestPanel } from '../../packages/react/src/index';
import '../../packages/react/src/styles.css';

function service(agent: AgentSummary): AgentService {
  const unused = () => Promise.reject(new Error('The bench page runs nothing.'));
  return {
    listAgents: async () => [agent],
    execute: unused,
    stream: () => ({
      [Symbol.asyncIterator]: () => ({ next: unused }),
    }),
    listExecutions: unused,
    getExecution: unused,
    cancel: unused,
    events: () => ({ [Symbol.asyncIterator]: () => ({ next: unused }) }),
    health: unused,
  } as unknown as AgentService;
}

/** About `bytes` of pretty-printed JSON that matches {@link rowsAgent}'s schema. */
function rowsInput(bytes: number): string {
  const row = (id: number) => ({ id, text: `row ${id} `.padEnd(80, '.'), done: id % 2 === 0 });
  const rows = [];
  let size = 0;
  for (let id = 0; size < bytes; id += 1) {
    const item = row(id);
    rows.push(item);
    size += JSON.stringify(item, null, 2).length + 6;
  }
  return JSON.stringify({ title: 'Bench', rows }, null, 2);
}

const rowsAgent: AgentSummary = {
  id: 'rows',
  name: 'Rows',
  inputSchema: {
    type: 'object',
    properties: {
      title: { type: 'string' },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          properties: { id: { type: 'integer' }, text: { type: 'string' }, done: { type: 'boolean' } },
          required: ['id', 'text'],
        },
      },
    },
    required: ['title', 'rows'],
  },
  maxInputBytes: 1_048_576,
  modes: ['mock'],
  live: { available: false },
};

/** An object schema with `count` fields: strings, numbers with bounds, booleans, enums, in turn. */
function wideAgent(count: number): AgentSummary {
  const properties: Record<string, unknown> = {};
  for (let index = 0; index < count; index += 1) {
    const name = `field_${String(index).padStart(3, '0')}`;
    const kind = index % 4;
    properties[name] =
      kind === 0
        ? { type: 'string', description: `Text field ${index}.`, default: `value ${index}` }
        : kind === 1
          ? { type: 'number', minimum: 0, maximum: 1000, default: index }
          : kind === 2
            ? { type: 'boolean', default: index % 3 === 0 }
            : { type: 'string', enum: ['low', 'medium', 'high'], default: 'medium' };
  }
  return {
    id: 'wide',
    name: `${count} fields`,
    inputSchema: { type: 'object', properties, required: Object.keys(properties).slice(0, count / 2) },
    modes: ['mock'],
    live: { available: false },
  };
}

const nextPaint = () =>
  new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))));

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error('The bench page waited too long.');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let root: Root | undefined;
/** Unmounts the last scenario, then lets the browser settle: its teardown is not the next one's cost. */
async function clear(): Promise<void> {
  root?.unmount();
  root = undefined;
  document.body.innerHTML = '<div id="app" style="width: 1280px"></div>';
  await nextPaint();
  await new Promise((resolve) => setTimeout(resolve, 50));
}
function mount(element: ReturnType<typeof createElement>): HTMLElement {
  const container = document.getElementById('app') as HTMLElement;
  root = createRoot(container);
  root.render(element);
  return container;
}

const bench = {
  /** A bare textarea with the same text (for contrast: what the browser itself costs per key). */
  async mountPlain(bytes: number) {
    await clear();
    document.body.innerHTML = `<div id="app" style="width: 1280px"><textarea spellcheck="false" style="width: 600px; height: 400px; font: 13px monospace"></textarea></div>`;
    const element = document.querySelector('textarea') as HTMLTextAreaElement;
    element.value = rowsInput(bytes);
    await nextPaint();
    return { chars: element.value.length };
  },

  /** The panel with about `bytes` of input in the JSON view; resolves when it shows. */
  async mountLargeInput(bytes: number) {
    const text = rowsInput(bytes);
    await clear();
    const container = mount(
      createElement(TestPanel, {
        client: service(rowsAgent),
        agentId: 'rows',
        defaultInput: text,
        defaultInputView: 'json',
        showHistory: false,
      }),
    );
    await waitFor(() => container.querySelector('textarea') !== null);
    await nextPaint();
    return { chars: text.length };
  },

  /** Mounts the panel with a `count`-field schema in the form view; answers milliseconds to the painted form. */
  async mountForm(count: number) {
    // The form's chunk is loaded once before (as the idle preload does on a page), so the figure
    // is rendering, not fetching.
    await import('../../packages/react/src/test-panel/input/schema-form');
    const agent = wideAgent(count);
    await clear();
    const start = performance.now();
    const container = mount(
      createElement(TestPanel, {
        client: service(agent),
        agentId: agent.id,
        defaultInputView: 'form',
        showHistory: false,
      }),
    );
    await waitFor(() => container.querySelectorAll('input, select, textarea').length >= count);
    const painted = await nextPaint();
    return { ms: painted - start, controls: container.querySelectorAll('input, select, textarea').length };
  },

  /** Mounts the output view with a finished 1 MB result; answers milliseconds to its first paint. */
  async mountOutput(kind: 'json' | 'text', bytes: number) {
    const rows = [];
    for (let id = 0, size = 0; size < bytes; id += 1) {
      const item = { id, text: `row ${id} `.padEnd(100, '.') };
      rows.push(item);
      size += JSON.stringify(item, null, 2).length + 4;
    }
    const output = kind === 'json' ? { rows } : rows.map((row) => row.text).join('\n');
    const result = {
      executionId: 'exe_bench',
      agentId: 'rows',
      status: 'succeeded',
      output,
      metrics: { durationMs: 1200 },
    } as unknown as ExecutionResult;
    await clear();
    const start = performance.now();
    const container = mount(createElement(OutputView, { status: 'succeeded', output: '', result }));
    await waitFor(() => container.querySelector('.agentry-output__body pre, .agentry-tree') !== null);
    const painted = await nextPaint();
    return {
      ms: painted - start,
      chars: kind === 'json' ? JSON.stringify(output, null, 2).length : String(output).length,
    };
  },
};

Object.assign(window, { bench });
document.title = 'ready';
