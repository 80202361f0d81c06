'use client';

import { useMemo, useState } from 'react';
import { defaultLabels, type TestPanelLabels } from './labels';
import { highlight } from './search-highlight';

type Path = readonly (string | number)[];

/** Props of {@link JsonTree}. */
export interface JsonTreeProps {
  value: unknown;
  /** Paths to mark as invalid, with what is wrong (the `output_invalid` issues). */
  issues?: readonly { path: Path; message: string }[];
  /** Marks keys and values that contain it (case-insensitive) and opens the branches that hold them. */
  query?: string;
  labels?: Pick<TestPanelLabels, 'treeItems' | 'treeShowMore' | 'invalidField'>;
}

/** Children rendered per branch before "Show more": keeps a 1 MB output's tree responsive. */
const PAGE = 200;

const keyOf = (path: Path) => JSON.stringify(path);

function leafText(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** The paths whose subtree matches the query (so their branches open), and the issue paths' ancestors. */
function pathsToOpen(value: unknown, query: string | undefined, issues: readonly { path: Path }[]): Set<string> {
  const open = new Set<string>();
  for (const issue of issues) {
    for (let length = 0; length < issue.path.length; length += 1) open.add(keyOf(issue.path.slice(0, length)));
  }
  if (!query) return open;
  const needle = query.toLowerCase();
  const visit = (node: unknown, path: (string | number)[]): boolean => {
    let found = false;
    if (node !== null && typeof node === 'object') {
      const entries = Array.isArray(node) ? node.map((item, index) => [index, item] as const) : Object.entries(node);
      for (const [key, child] of entries) {
        path.push(key);
        const hit = String(key).toLowerCase().includes(needle) || visit(child, path);
        path.pop();
        found ||= hit;
      }
      if (found) open.add(keyOf(path));
      return found;
    }
    return leafText(node).toLowerCase().includes(needle);
  };
  visit(value, []);
  return open;
}

/** A JSON value as a tree of native disclosure widgets: keyboard and screen-reader ready as is. */
export function JsonTree({ value, issues = [], query, labels = defaultLabels }: JsonTreeProps) {
  const open = useMemo(() => pathsToOpen(value, query, issues), [value, query, issues]);
  const invalid = useMemo(() => new Map(issues.map((issue) => [keyOf(issue.path), issue.message])), [issues]);
  return (
    <div className="agentry-tree">
      <Node value={value} path={[]} name={undefined} open={open} invalid={invalid} query={query} labels={labels} />
    </div>
  );
}

interface NodeProps {
  value: unknown;
  path: Path;
  name: string | number | undefined;
  open: Set<string>;
  invalid: Map<string, string>;
  query: string | undefined;
  labels: Pick<TestPanelLabels, 'treeItems' | 'treeShowMore' | 'invalidField'>;
}

function Node({ value, path, name, open, invalid, query, labels }: NodeProps) {
  const [limit, setLimit] = useState(PAGE);
  const problem = invalid.get(keyOf(path));
  const label =
    name === undefined ? null : (
      <span className="agentry-tree__key">
        {highlight(typeof name === 'number' ? `[${name}]` : name, query)}
        {': '}
      </span>
    );
  const mark = problem ? (
    <span className="agentry-tree__issue" role="note">
      {labels.invalidField}: {problem}
    </span>
  ) : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div
        className="agentry-tree__leaf"
        data-invalid={problem ? '' : undefined}
        data-type={value === null ? 'null' : typeof value}
      >
        {label}
        <span className="agentry-tree__value">{highlight(leafText(value), query)}</span>
        {mark}
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  const summary = Array.isArray(value)
    ? `[ ${labels.treeItems(entries.length)} ]`
    : `{ ${labels.treeItems(entries.length)} }`;
  return (
    <details
      className="agentry-tree__branch"
      open={path.length < 2 || open.has(keyOf(path)) || undefined}
      data-invalid={problem ? '' : undefined}
    >
      <summary>
        {label}
        <span className="agentry-tree__summary">{summary}</span>
        {mark}
      </summary>
      <ul className="agentry-tree__children">
        {entries.slice(0, limit).map(([key, child]) => (
          <li key={key}>
            <Node
              value={child}
              path={[...path, key]}
              name={key}
              open={open}
              invalid={invalid}
              query={query}
              labels={labels}
            />
          </li>
        ))}
      </ul>
      {entries.length > limit ? (
        <button
          type="button"
          className="agentry-button agentry-button--ghost"
          onClick={() => setLimit((n) => n + PAGE)}
        >
          {labels.treeShowMore(entries.length - limit)}
        </button>
      ) : null}
    </details>
  );
}
