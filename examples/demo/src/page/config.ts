import type { PageConfig, RecordedRun } from '../server/page-html';

/** What the server embeds in the page (defined with the page's HTML, `src/server/page-html.ts`). */
export type DemoConfig = PageConfig;
export type DemoTenant = DemoConfig['tenant'];
export type { RecordedRun };

export function readConfig(): DemoConfig {
  const element = document.getElementById('demo-config');
  if (!element?.textContent) throw new Error('The demo page is missing its configuration.');
  return JSON.parse(element.textContent) as DemoConfig;
}

/** Moves the demo session to another workspace (the server keeps it; the cookie is HttpOnly). */
export async function switchWorkspace(tenantId: string): Promise<DemoTenant> {
  const response = await fetch('/demo/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenantId }),
  });
  const body = (await response.json()) as { tenant?: DemoTenant; error?: string };
  if (!response.ok || !body.tenant) throw new Error(body.error ?? `Switching workspace failed (${response.status}).`);
  return body.tenant;
}
