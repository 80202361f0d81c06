import type { ExecutionMode } from '@agentry/core';

/** A run as a request: what "Copy as cURL" and "Copy as code" turn into text. */
export interface RunRequestSnippet {
  /** Where the Agentry handler is mounted, as the app's client uses it (`/api/agentry`, or absolute). */
  baseUrl: string;
  agentId: string;
  input: unknown;
  mode: ExecutionMode;
}

/** Quotes a string for a POSIX shell: single quotes, each inner `'` as `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function absolute(baseUrl: string, origin: string | undefined): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (/^https?:\/\//i.test(trimmed) || origin === undefined) return trimmed;
  return `${origin}${trimmed.startsWith('/') ? '' : '/'}${trimmed}`;
}

/**
 * The run as a `curl` command (streamed as SSE, like the panel). No credentials are written:
 * the command says where to add the app's own sign-in (a cookie or a bearer token).
 */
export function curlCommand(run: RunRequestSnippet, origin?: string): string {
  const url = `${absolute(run.baseUrl, origin)}/agents/${encodeURIComponent(run.agentId)}/executions`;
  const body = JSON.stringify({ input: run.input, mode: run.mode });
  const command = [
    `curl -N ${shellQuote(url)}`,
    `  -H 'content-type: application/json'`,
    `  -H 'accept: text/event-stream'`,
    `  --data-raw ${shellQuote(body)}`,
  ].join(' \\\n');
  return `# Add your app's sign-in (a cookie, or -H "authorization: Bearer $TOKEN").\n${command}`;
}

/** The run as TypeScript with the typed client. */
export function clientSnippet(run: RunRequestSnippet): string {
  const input = JSON.stringify(run.input, null, 2).replace(/\n/g, '\n  ');
  return [
    `import { createClient } from '@agentry/core/client';`,
    ``,
    `const client = createClient({ baseUrl: ${JSON.stringify(run.baseUrl)} });`,
    ``,
    `const result = await client.execute({`,
    `  agentId: ${JSON.stringify(run.agentId)},`,
    `  mode: ${JSON.stringify(run.mode)},`,
    `  input: ${input},`,
    `});`,
    `console.log(result.status, result.output);`,
  ].join('\n');
}
