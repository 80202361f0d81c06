// Finds import cycles in packages/*/src and prints each as a chain, then checks the layer rules of
// packages/core/src (which folder may import which; docs/contributing.md, "Layout and import
// rules"); exits 1 if there is any cycle or broken rule.
// Type-only imports count (`import type`, `export type … from`): a cycle of types is still a
// cycle a reader has to untangle, and it turns into a runtime one as soon as a value moves.
// Imports are read with TypeScript's own pre-processor (comments and strings are skipped), so
// dynamic `import()` counts too. Workspace packages (`@agentry/…`) resolve through their
// `@agentry/source` export condition, so a cycle across packages is found as well.
// Usage: node scripts/check-cycles.mjs [--json]  (`--json` prints { cycles, violations })
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];
const SOURCE = /\.(?:[mc]?ts|tsx)$/;
const TEST = /\.(?:test|test-d|stories|browser\.test)\.tsx?$/;

function walk(directory) {
  const files = [];
  for (const name of readdirSync(directory)) {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) files.push(...walk(full));
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

// `@agentry/core/openai` → packages/core/src/providers/openai/index.ts, from package.json.
function workspaceEntries() {
  const entries = new Map();
  for (const name of readdirSync(path.join(root, 'packages'))) {
    const manifestPath = path.join(root, 'packages', name, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === 'object' && target !== null ? target['@agentry/source'] : undefined;
      if (typeof source !== 'string') continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.replace(/^\.\//, '')}`;
      entries.set(specifier, path.join(root, 'packages', name, source));
    }
  }
  return entries;
}

function resolveRelative(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  const stripped = base.replace(/\.[mc]?js$/, '');
  const candidates = [
    base,
    ...EXTENSIONS.map((extension) => `${stripped}${extension}`),
    ...EXTENSIONS.map((extension) => path.join(base, `index${extension}`)),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

export function importGraph({ includeTests = false } = {}) {
  const entries = workspaceEntries();
  const files = readdirSync(path.join(root, 'packages'))
    .map((name) => path.join(root, 'packages', name, 'src'))
    .filter((directory) => existsSync(directory))
    .flatMap(walk)
    .filter((file) => includeTests || !(TEST.test(file) || file.includes('.test-support.')));
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set();
    for (const { fileName: specifier } of importedFiles) {
      const target = specifier.startsWith('.') ? resolveRelative(file, specifier) : entries.get(specifier);
      if (target !== undefined && SOURCE.test(target)) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

// Tarjan's strongly connected components, iteratively (no recursion on the graph's depth).
function stronglyConnected(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter);
    counter += 1;
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, next] = frame;
      const edges = graph.get(node) ?? [];
      if (next < edges.length) {
        frame[1] += 1;
        const target = edges[next];
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push([target, 0]);
        } else if (onStack.has(target)) {
          low.set(node, Math.min(low.get(node), index.get(target)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent[0], Math.min(low.get(parent[0]), low.get(node)));
      if (low.get(node) === index.get(node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        const selfLoop = (graph.get(node) ?? []).includes(node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}

// The shortest cycle through `start` inside one component (breadth-first).
function shortestCycle(graph, members, start) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const chain = [start];
        for (let step = node; step !== start; step = previous.get(step)) chain.splice(1, 0, step);
        return chain;
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return undefined;
}

// Each component as a few distinct short cycles: the shortest one through each of its files,
// rotated to start at its smallest path so the same cycle is printed once.
export function findCycles(graph) {
  const cycles = new Map();
  for (const component of stronglyConnected(graph)) {
    const members = new Set(component);
    for (const file of component) {
      const cycle = shortestCycle(graph, members, file);
      if (!cycle) continue;
      const first = cycle.indexOf([...cycle].sort()[0]);
      const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
      cycles.set(rotated.join('\n'), rotated);
    }
  }
  return [...cycles.values()];
}

// The folders of packages/core/src and the folders each one may import (type-only imports
// count). Tests and `*.test-support.*` files are outside the graph and may import anything; the
// entry files directly in src/ are the public surface and may import any folder but `testing/`
// (which has its own entry). A folder missing here is reported, so a new one gets a rule.
export const LAYER_RULES = {
  errors: [],
  metrics: [],
  logging: [],
  validation: ['errors'],
  internal: ['errors', 'logging'],
  // TenantContext is used by agents; agent access rules read agents. Files do not cycle.
  tenant: ['agent', 'errors'],
  agent: ['errors', 'tenant', 'tools', 'validation'],
  // defineTool and the tool types. Agents hold tools; tools name the mode and the tenant. Files do not cycle.
  tools: ['agent', 'errors', 'logging', 'tenant', 'validation'],
  // The wire protocol: shapes and their codecs. `providers` for the `ProviderHealth` type only.
  protocol: ['agent', 'errors', 'internal', 'metrics', 'providers'],
  store: ['errors', 'protocol'],
  // Saved test cases: their store, the pure verdict on a run, the suite runner.
  'test-cases': ['agent', 'errors', 'protocol', 'validation'],
  providers: ['agent', 'errors', 'internal', 'logging', 'metrics', 'protocol', 'tenant', 'tools', 'validation'],
  // State shared across instances: leases, budgets, cancel requests, event logs.
  coordinator: ['agent', 'errors', 'protocol'],
  executor: [
    'agent',
    'coordinator',
    'errors',
    'internal',
    'logging',
    'metrics',
    'protocol',
    'providers',
    'store',
    'tenant',
    'tools',
    'validation',
  ],
  auth: ['errors', 'internal', 'logging', 'tenant'],
  // The two ends of the wire: each imports the protocol, never the other end.
  server: ['errors', 'executor', 'internal', 'logging', 'protocol', 'tenant', 'test-cases', 'validation'],
  client: [
    'agent',
    'errors',
    'executor',
    'internal',
    'logging',
    'metrics',
    'protocol',
    'tenant',
    'test-cases',
    'validation',
  ],
  // Operator commands (the `agentry` bin): a client of the protocol, like the browser client.
  cli: ['agent', 'client', 'errors', 'internal', 'logging', 'metrics', 'protocol', 'validation'],
  // Telemetry bridges over the executor's events and the provider spec (`@agentry/core/otel`, `/sentry`).
  otel: ['agent', 'errors', 'executor', 'internal', 'logging', 'metrics', 'protocol', 'providers', 'tenant'],
  sentry: ['errors', 'executor', 'logging', 'protocol', 'tenant'],
  // Record/replay at the provider boundary (`@agentry/core/tapes`): wraps providers, below the executor.
  tapes: ['errors', 'internal', 'logging', 'metrics', 'providers', 'validation'],
  // Test helpers for users (`@agentry/core/testing`): the top layer, imported by nothing but tests.
  testing: [
    'agent',
    'auth',
    'client',
    'coordinator',
    'errors',
    'executor',
    'internal',
    'logging',
    'metrics',
    'protocol',
    'providers',
    'server',
    'store',
    'tapes',
    'tenant',
    'test-cases',
    'tools',
    'validation',
  ],
};

const CORE_SOURCE = path.join(root, 'packages', 'core', 'src');

/** `protocol` for packages/core/src/protocol/…; `(entry)` for a file directly in src/; undefined outside core. */
function coreFolder(file) {
  const relative = path.relative(CORE_SOURCE, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  return parts.length === 1 ? '(entry)' : parts[0];
}

/** Imports that break {@link LAYER_RULES}, as `{ from, to, rule }`. */
export function findLayerViolations(graph) {
  const violations = [];
  for (const [file, targets] of graph) {
    const from = coreFolder(file);
    if (from === undefined) continue;
    const allowed = from === '(entry)' ? undefined : LAYER_RULES[from];
    if (from !== '(entry)' && allowed === undefined) {
      violations.push({
        from: file,
        to: file,
        rule: `packages/core/src/${from}/ has no layer rule: add one to LAYER_RULES`,
      });
      continue;
    }
    for (const target of targets) {
      const to = coreFolder(target);
      if (to === undefined || to === from) continue;
      if (from === '(entry)' ? to === 'testing' : to === '(entry)' || !allowed.includes(to)) {
        const may =
          from === '(entry)'
            ? 'any folder but testing/'
            : allowed.length === 0
              ? 'nothing outside itself'
              : allowed.map((name) => `${name}/`).join(', ');
        violations.push({ from: file, to: target, rule: `${from}/ may import ${may}` });
      }
    }
  }
  return violations;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  const cycles = findCycles(graph);
  const violations = findLayerViolations(graph);
  const relative = (file) => path.relative(root, file);
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify(
        {
          cycles: cycles.map((cycle) => cycle.map(relative)),
          violations: violations.map((violation) => ({
            ...violation,
            from: relative(violation.from),
            to: relative(violation.to),
          })),
        },
        null,
        2,
      ),
    );
  } else {
    if (cycles.length === 0) {
      console.log(`No import cycles in packages/*/src (${graph.size} files, type-only imports included).`);
    } else {
      console.error(`${cycles.length} import cycle(s) in packages/*/src (type-only imports included):`);
      for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].map(relative).join('\n    → ')}\n`);
    }
    if (violations.length === 0) {
      console.log('Layer rules of packages/core/src hold (docs/contributing.md, "Layout and import rules").');
    } else {
      console.error(
        `${violations.length} import(s) break the layer rules of packages/core/src (docs/contributing.md):`,
      );
      for (const violation of violations) {
        console.error(`  ${relative(violation.from)}\n    → ${relative(violation.to)}\n    (${violation.rule})\n`);
      }
    }
  }
  process.exit(cycles.length === 0 && violations.length === 0 ? 0 : 1);
}
