'use client';

import { formatIssuePath } from '@agentry/core/client';
import { useState } from 'react';
import type { Context } from './form-context';
import type { Field, Path } from './form-model';

/**
 * A JSON editor for a subtree the form cannot show as controls (a union, an unsupported schema,
 * a value that does not fit), with the issues inside it listed below.
 */
export function JsonField({
  common,
  context,
  value,
  path,
  reason,
  only,
}: {
  common: Record<string, unknown>;
  context: Context;
  value: unknown;
  path: Path;
  reason?: Extract<Field, { kind: 'json' }>['reason'];
  /** The keys this box holds, when it holds only some of the object's (the fields not in the schema). */
  only?: readonly string[];
}) {
  const formatted = JSON.stringify(value, null, 2) ?? '';
  // The text as typed, while it is not JSON (or until the value changes elsewhere).
  const [draft, setDraft] = useState<{ text: string; error: string; from: string } | undefined>(undefined);
  const shownDraft = draft?.from === formatted ? draft : undefined;
  // Issues inside this subtree (the form has no field for them), or inside its own keys only.
  const nested = context.all.filter(
    (issue) =>
      issue.path.length > path.length &&
      path.every((key, index) => issue.path[index] === key) &&
      (only === undefined || only.includes(String(issue.path[path.length]))),
  );
  return (
    <div className="agentry-field__json" data-reason={reason}>
      {reason ? <p className="agentry-field__note">{context.labels.jsonFallback[reason]}</p> : null}
      <textarea
        {...common}
        className="agentry-input agentry-input--json"
        spellCheck={false}
        value={shownDraft?.text ?? formatted}
        rows={Math.min(12, Math.max(2, (shownDraft?.text ?? formatted).split('\n').length))}
        onChange={(event) => {
          const next = event.currentTarget.value;
          try {
            const parsed: unknown = JSON.parse(next);
            setDraft(
              JSON.stringify(parsed, null, 2) === next
                ? undefined
                : { text: next, error: '', from: JSON.stringify(parsed, null, 2) },
            );
            context.set(path, parsed);
          } catch (thrown) {
            setDraft({ text: next, error: (thrown as Error).message, from: formatted });
          }
        }}
      />
      {shownDraft?.error ? <p className="agentry-field__error">{shownDraft.error}</p> : null}
      {nested.length ? (
        <ul className="agentry-field__error">
          {nested.map((issue, index) => (
            <li key={index}>
              <code>{formatIssuePath(issue.path)}</code> {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
