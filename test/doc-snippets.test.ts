// Doc snippets are code: every ```ts / ```tsx block of README.md and docs/*.md is type-checked
// under strict settings (against the workspace packages' sources), and the ones marked
// `<!-- snippet: run -->` are run. A snippet that cannot compile on its own says so with
// `<!-- snippet: fragment -->`; nothing else is skipped. See test/support/doc-snippets.ts.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DocSnippet, documentationFiles, readSnippets } from './support/doc-snippets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the workspace, so `@agentry/*`, zod, react, express… resolve from its node_modules.
const project = path.join(root, 'test', '.doc-snippets');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// Reference signatures generated from the typed sources (api-reference.test.ts keeps them in sync).
const GENERATED = new Set(['docs/api.md']);

interface Placed extends DocSnippet {
  /** Where the snippet was written, relative to `project`. */
  file: string;
}

function slug(doc: string): string {
  return doc.replace(/\.md$/, '').replace(/[^\w]+/g, '-');
}

/** Snippets that name a file (`// server/main.ts`) are written there, so their imports resolve. */
function place(snippet: DocSnippet): Placed {
  const file = snippet.path
    ? path.join(slug(snippet.doc), snippet.path)
    : path.join(slug(snippet.doc), `snippet-line-${snippet.line}.${snippet.lang}`);
  return { ...snippet, file };
}

const all = documentationFiles(root).flatMap((doc) => readSnippets(root, doc));
const generated = all.filter((snippet) => GENERATED.has(snippet.doc));
const written = all.filter((snippet) => !GENERATED.has(snippet.doc));
const fragments = written.filter((snippet) => snippet.kind === 'fragment');
const checked = written.filter((snippet) => snippet.kind !== 'fragment').map(place);
const runnable = checked.filter((snippet) => snippet.kind === 'run');

beforeAll(() => {
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      // The workspace packages' sources, as their `@agentry/source` export condition maps them.
      customConditions: ['@agentry/source'],
      moduleDetection: 'force',
      verbatimModuleSyntax: true,
      isolatedModules: true,
      jsx: 'react-jsx',
      types: ['node'],
      skipLibCheck: true,
      // Next.js's default alias, used by the Next.js path of getting-started.md.
      paths: { '@/*': ['./docs-getting-started/*'] },
    },
    include: ['**/*.ts', '**/*.tsx'],
  };
  writeFileSync(path.join(project, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  // What a bundler (Vite, Next.js) declares for `import '@agentry/react/styles.css'`.
  writeFileSync(path.join(project, 'css.d.ts'), "declare module '*.css';\n");
  const seen = new Map<string, Placed>();
  for (const snippet of checked) {
    const previous = seen.get(snippet.file);
    if (previous) {
      throw new Error(`${snippet.doc}:${snippet.line} and ${previous.doc}:${previous.line} both name ${snippet.path}`);
    }
    seen.set(snippet.file, snippet);
    mkdirSync(path.dirname(path.join(project, snippet.file)), { recursive: true });
    writeFileSync(path.join(project, snippet.file), `${snippet.code}\n`);
  }
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** `docs/x.md:12: TS2322 …` for each compiler error, mapped back to the document's line. */
function locate(output: string): string[] {
  const byFile = new Map(checked.map((snippet) => [path.normalize(snippet.file), snippet]));
  return output
    .split('\n')
    .filter((line) => /error TS\d+/.test(line))
    .map((line) => {
      const match = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
      const snippet = match?.[1] ? byFile.get(path.normalize(match[1])) : undefined;
      if (!match || !snippet) return line;
      return `${snippet.doc}:${snippet.line + Number(match[2]) - 1}:${match[3]}: ${match[4]}`;
    });
}

describe('doc snippets are code', () => {
  it('every TypeScript snippet is type-checked or marked as a fragment', async () => {
    console.info(
      `Doc snippets: ${checked.length} type-checked (${runnable.length} of them also run), ` +
        `${fragments.length} skipped as marked fragments, ${generated.length} generated signatures in docs/api.md.`,
    );
    expect(checked.length + fragments.length + generated.length).toBe(all.length);
    // The getting-started paths and the README quick start are never fragments.
    const mustCheck = written.filter(
      (snippet) => snippet.doc === 'docs/getting-started.md' || snippet.doc === 'README.md',
    );
    expect(mustCheck.filter((snippet) => snippet.kind === 'fragment')).toEqual([]);
    // tsc sees every file written: no snippet is skipped by accident (a wrong extension, an include).
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', project, '--listFilesOnly'], {
      cwd: project,
      maxBuffer: 64 * 1024 * 1024,
    });
    const listed = new Set(stdout.split('\n').map((line) => path.normalize(line.trim())));
    const missing = checked.filter((snippet) => !listed.has(path.join(project, snippet.file)));
    expect(missing.map((snippet) => `${snippet.doc}:${snippet.line}`)).toEqual([]);
  }, 120_000);

  it('the checked snippets compile under `tsc --strict`', async () => {
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', project, '--pretty', 'false'], {
      cwd: project,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      () => ({ errors: [] as string[] }),
      (error: { stdout?: string }) => ({ errors: locate(error.stdout ?? String(error)) }),
    );
    expect(result.errors, result.errors.join('\n')).toEqual([]);
  }, 180_000);

  it.each(runnable.map((snippet) => [`${snippet.doc}:${snippet.line}`, snippet] as const))(
    '%s runs',
    async (_, snippet) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await import(/* @vite-ignore */ path.join(project, snippet.file));
      } finally {
        log.mockRestore();
      }
    },
    60_000,
  );
});
