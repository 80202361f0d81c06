import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * How a TypeScript snippet in the docs is treated, set by an HTML comment on the line before its
 * fence (blank lines between are allowed):
 * - no marker: type-checked under strict settings;
 * - `<!-- snippet: run -->`: type-checked, then run;
 * - `<!-- snippet: fragment -->` (any words may follow): a piece of code that cannot compile on its
 *   own (an options object, a line using names defined elsewhere); counted and skipped.
 */
export type SnippetKind = 'check' | 'run' | 'fragment';

export interface DocSnippet {
  /** The document, relative to the repository root (`docs/getting-started.md`). */
  doc: string;
  /** 1-based line of the snippet's first code line in the document. */
  line: number;
  lang: 'ts' | 'tsx';
  code: string;
  kind: SnippetKind;
  /** The file the snippet names on its first line (`// server/main.ts`), if any. */
  path?: string;
  /** The nearest `##`/`###` heading above the snippet. */
  heading: string;
}

const FENCE = /^```(\w*)\s*$/;
const MARKER = /^<!--\s*snippet:\s*(\w+)\b.*-->\s*$/;
/** `// lib/agents.ts`, `// app/api/agentry/[...path]/route.ts`, `// vite.config.ts` */
const PATH_COMMENT = /^\/\/\s+([\w@[\].-]+(?:\/[\w@[\].-]+)*\.(?:ts|tsx|mts|cts))\s*$/;

/** Every ```ts / ```tsx snippet of one Markdown document, with its marker. Throws on a stray marker. */
export function extractSnippets(doc: string, markdown: string): DocSnippet[] {
  const lines = markdown.split('\n');
  const snippets: DocSnippet[] = [];
  let heading = '';
  let pendingMarker: { kind: string; line: number } | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] ?? '';
    const marker = MARKER.exec(text);
    if (marker) {
      pendingMarker = { kind: marker[1] ?? '', line: index + 1 };
      continue;
    }
    const fence = FENCE.exec(text);
    if (fence) {
      const lang = fence[1] ?? '';
      const start = index + 1;
      let end = start;
      while (end < lines.length && !/^```\s*$/.test(lines[end] ?? '')) end += 1;
      if (lang === 'ts' || lang === 'tsx') {
        const kind = pendingMarker?.kind ?? 'check';
        if (kind !== 'check' && kind !== 'run' && kind !== 'fragment') {
          throw new Error(`${doc}:${pendingMarker?.line}: unknown snippet marker "${kind}" (run, fragment)`);
        }
        const code = lines.slice(start, end).join('\n');
        const snippet: DocSnippet = { doc, line: start + 1, lang, code, kind, heading };
        const named = PATH_COMMENT.exec(lines[start] ?? '');
        if (named?.[1]) snippet.path = named[1];
        snippets.push(snippet);
      } else if (pendingMarker) {
        throw new Error(`${doc}:${pendingMarker.line}: a snippet marker before a \`\`\`${lang} fence (ts or tsx only)`);
      }
      pendingMarker = undefined;
      index = end;
      continue;
    }
    if (/^#{2,3}\s/.test(text)) heading = text.replace(/^#+\s*/, '');
    if (text.trim() !== '' && pendingMarker) {
      throw new Error(`${doc}:${pendingMarker.line}: a snippet marker must come right before a \`\`\`ts fence`);
    }
  }
  return snippets;
}

/** README.md and every docs/*.md, relative to `root`. */
export function documentationFiles(root: string): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

export function readSnippets(root: string, doc: string): DocSnippet[] {
  return extractSnippets(doc, readFileSync(path.join(root, doc), 'utf8'));
}
