import { defineAgent, type ModelSettings } from '@agentry/core';
import { z } from 'zod';

/** The tenant that owns the release-notes agent: only Acme's workspace lists or runs it. */
export const RELEASE_NOTES_OWNER = 'acme';

const KINDS: [RegExp, string][] = [
  [/^(feat|add|new)\b[:(]?/i, 'New'],
  [/^(fix|bug|hotfix)\b[:(]?/i, 'Fixed'],
  [/^(perf|speed)\b[:(]?/i, 'Faster'],
];

function tidy(change: string): string {
  const text = change
    .replace(/^\w+(\([^)]*\))?!?:\s*/, '')
    .replace(/\s*\(#\d+\)$/, '')
    .trim();
  return text.charAt(0).toUpperCase() + text.slice(1).replace(/\.$/, '');
}

/** A tenant-owned agent: Acme's release-notes writer, in Acme's house voice. */
export function createReleaseNotesAgent(model?: ModelSettings) {
  return defineAgent({
    id: 'acme-release-notes',
    name: 'Acme release notes',
    description: "Turns commit messages into customer-facing release notes in Acme's voice (Acme workspace only).",
    tenantId: RELEASE_NOTES_OWNER,
    input: z.object({
      version: z.string().regex(/^\d+\.\d+\.\d+$/, 'Use a semantic version such as 2.4.0.'),
      changes: z.array(z.string().min(1)).min(1, 'List at least one change.').max(50),
    }),
    ...(model ? { model: { ...model, maxOutputTokens: 600 } } : {}),
    prompt: ({ version, changes }) => [
      {
        role: 'system',
        content:
          'Write release notes for Acme customers: a one-line headline, then sections "New", "Fixed" and "Faster" ' +
          'with bullet points in plain language. Skip internal chores. Upbeat, no hype.',
      },
      { role: 'user', content: `Version ${version}\n${changes.map((change) => `- ${change}`).join('\n')}` },
    ],
    mock: ({ version, changes }, { pick }) => {
      const sections = new Map<string, string[]>();
      for (const change of changes) {
        if (/^(chore|ci|test|docs|refactor|build)\b/i.test(change)) continue;
        const kind = KINDS.find(([pattern]) => pattern.test(change))?.[1] ?? 'Improved';
        sections.set(kind, [...(sections.get(kind) ?? []), tidy(change)]);
      }
      const headline = pick([
        `Acme ${version} is here`,
        `What's new in Acme ${version}`,
        `Acme ${version}: smoother, faster, better`,
      ]);
      const body = ['New', 'Improved', 'Fixed', 'Faster']
        .filter((kind) => sections.has(kind))
        .map((kind) => `${kind}\n${(sections.get(kind) ?? []).map((line) => `• ${line}`).join('\n')}`)
        .join('\n\n');
      return `${headline}\n\n${body || 'Behind-the-scenes maintenance only in this release.'}`;
    },
    example: {
      version: '2.4.0',
      changes: [
        'feat(reports): export dashboards as PDF (#812)',
        'fix: invoices with a 0% VAT rate showed a blank total',
        'perf: load the ticket inbox 40% faster',
        'chore: bump dependencies',
        'feat: bulk-assign tickets from the inbox',
      ],
    },
  });
}
