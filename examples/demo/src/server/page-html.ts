import type { DemoTenant } from './tenants';

/** What the browser page starts with, embedded in the HTML so it renders without a round trip. */
export interface PageConfig {
  tenants: { id: string; name: string; plan: string }[];
  /** The signed-in workspace; `recorded` only while live mode replays tapes (no key). */
  tenant: DemoTenant & { recorded?: RecordedRun[] };
  agentryPath: string;
  /** `replay`: live mode answers from the committed tapes, not from a provider. */
  live: { enabled: boolean; reason?: string; label: string; replay?: boolean };
}

/** A recorded input of this workspace: live mode replays its answer. */
export interface RecordedRun {
  agentId: string;
  agentName: string;
  input: unknown;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The host page shell: the React app mounts into `#root`. */
export function pageHtml(config: PageConfig): string {
  // `<` is escaped so no string in the config can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Orbit · AI agents · ${escapeHtml(config.tenant.name)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<div id="root"><noscript>The Agentry demo needs JavaScript.</noscript></div>
<script id="demo-config" type="application/json">${json}</script>
<script type="module" src="/assets/app.js"></script>
</body>
</html>
`;
}

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><circle cx="16" cy="16" r="6" fill="none" stroke="#fff" stroke-width="3"/><circle cx="24" cy="9" r="3" fill="#a5b4fc"/></svg>`;
