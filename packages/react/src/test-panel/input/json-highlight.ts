import type { ValidationIssue } from '@agentry/core';

// Syntax colours for the JSON view's overlay, and where each issue sits in the text: one pass of a
// small tokenizer that also tracks the JSON path of every value. Works on broken JSON too (it
// colours what it recognises), never throws, and does no work per character beyond one regex.

const TOKEN =
  /("(?:[^"\\\n]|\\.)*"?)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false|null)|([{}[\]:,])|(\s+)|([^\s"{}[\]:,]+)/gy;

interface Frame {
  array: boolean;
  key: string | number;
  expectKey: boolean;
  start: number;
}

/** A range of the text with a message: where an issue is marked. */
export interface Mark {
  from: number;
  to: number;
  message: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Character ranges of the issues: a syntax error at its line and column, a schema issue at its value (or key). */
export function locateIssues(text: string, issues: readonly ValidationIssue[]): Mark[] {
  const wanted = new Map<string, ValidationIssue[]>();
  const marks: Mark[] = [];
  for (const issue of issues) {
    if (issue.line !== undefined) {
      let offset = 0;
      for (let line = 1; line < issue.line; line += 1) {
        const next = text.indexOf('\n', offset);
        if (next === -1) break;
        offset = next + 1;
      }
      const from = Math.min(offset + (issue.column ?? 1) - 1, text.length);
      marks.push({ from, to: from + 1, message: issue.message });
      continue;
    }
    // A missing field is marked on its object; others on their value.
    const target = issue.code === 'required' ? issue.path.slice(0, -1) : issue.path;
    const key = JSON.stringify(target);
    wanted.set(key, [...(wanted.get(key) ?? []), issue]);
  }
  if (wanted.size === 0) return marks;
  const stack: Frame[] = [];
  let keyStart = -1;
  let path: (string | number)[] = [];
  const found = (from: number, to: number) => {
    const hit = wanted.get(JSON.stringify(path));
    // Containers are marked at their key, or their first bracket: not as a whole.
    if (hit) for (const issue of hit) marks.push({ from: keyStart >= 0 ? keyStart : from, to, message: issue.message });
  };
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const start = match.index;
    const end = TOKEN.lastIndex;
    const top = stack[stack.length - 1];
    const [, string, , , punct, space] = match;
    if (space) continue;
    if (string !== undefined && top && !top.array && top.expectKey) {
      try {
        top.key = JSON.parse(string) as string;
      } catch {
        top.key = string.slice(1, -1);
      }
      keyStart = start;
      continue;
    }
    if (punct === ':') {
      if (top) top.expectKey = false;
      continue;
    }
    if (punct === ',') {
      if (top?.array) top.key = (top.key as number) + 1;
      else if (top) top.expectKey = true;
      keyStart = -1;
      continue;
    }
    if (punct === '}' || punct === ']') {
      stack.pop();
      path = path.slice(0, -1);
      keyStart = -1;
      continue;
    }
    path = top ? [...stack.map((frame) => frame.key)] : [];
    if (punct === '{' || punct === '[') {
      found(start, end);
      stack.push({ array: punct === '[', key: punct === '[' ? 0 : '', expectKey: punct === '{', start });
      path = stack.map((frame) => frame.key);
    } else {
      found(start, end);
    }
    keyStart = -1;
  }
  return marks;
}

/**
 * The JSON text as HTML for the overlay behind the textarea: one `<span>` per line (the gutter
 * numbers them with a CSS counter), tokens coloured by class, issue ranges underlined.
 */
export function highlightJson(text: string, marks: readonly Mark[] = []): string {
  let html = '<span class="agentry-jv__line">';
  TOKEN.lastIndex = 0;
  const sorted = [...marks].sort((a, b) => a.from - b.from);
  for (let match = TOKEN.exec(text); match; match = TOKEN.exec(text)) {
    const [token, string, number, literal, punct, space] = match;
    const start = match.index;
    const end = TOKEN.lastIndex;
    if (space) {
      html += escapeHtml(token).replace(/\n/g, '\n</span><span class="agentry-jv__line">');
      continue;
    }
    let kind = 'x';
    if (string !== undefined) {
      // A string followed by ':' is a key.
      const next = /\s*:/y;
      next.lastIndex = end;
      kind = next.test(text) ? 'k' : 's';
    } else if (number) kind = 'n';
    else if (literal) kind = 'l';
    else if (punct) kind = 'p';
    const mark = sorted.find((item) => item.from < end && item.to > start);
    html += `<span class="agentry-jv__${kind}${mark ? ' agentry-jv__mark' : ''}"${mark ? ` title="${escapeHtml(mark.message).replace(/"/g, '&quot;')}"` : ''}>${escapeHtml(token)}</span>`;
  }
  // A final empty line still needs its height (and its number).
  return `${html}\u200b</span>`;
}
