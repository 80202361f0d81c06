// "Copy as cURL" must paste into a shell as exactly the request the panel sent, whatever the input holds.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientSnippet, curlCommand, shellQuote } from './snippets';

const shell = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' });

describe('snippets', () => {
  it('shellQuote: the shell reads back exactly the text, quotes, $ and backslashes included', () => {
    // One shell for 300 generated strings (a shell per case is slow on a busy machine).
    const texts = fc
      .sample(fc.string({ unit: 'grapheme', maxLength: 40 }), { numRuns: 300, seed: 42 })
      .filter((text) => !text.includes('\0'));
    texts.push(`'`, `''`, `'''`, '$(id)', '`id`', '\\', '\n', 'a b\tc');
    const read = shell(`printf '%s\\0' ${texts.map(shellQuote).join(' ')}`)
      .split('\0')
      .slice(0, -1);
    expect(read).toEqual(texts);
  });

  it('curlCommand: the body the shell would send is the run as JSON, and no credential is written', () => {
    const input = { text: 'it\'s $HOME `id` \\n "quoted"' };
    const command = curlCommand(
      { baseUrl: '/api/agentry', agentId: 'summarize', input, mode: 'mock' },
      'https://app.example',
    );
    expect(command).toContain("curl -N 'https://app.example/api/agentry/agents/summarize/executions'");
    expect(command).not.toMatch(/authorization: Bearer [^$]/i);
    // Replace curl with a printer of its last argument, and run the command as a shell would.
    const body = shell(`curl() { for last; do :; done; printf %s "$last"; }\n${command}`);
    expect(JSON.parse(body)).toEqual({ input, mode: 'mock' });
  });

  it('clientSnippet: a typed-client call with the same agent, mode and input', () => {
    const snippet = clientSnippet({
      baseUrl: '/api/agentry',
      agentId: 'classify',
      input: { body: 'hi' },
      mode: 'live',
    });
    expect(snippet).toContain('createClient({ baseUrl: "/api/agentry" })');
    expect(snippet).toContain('agentId: "classify"');
    expect(snippet).toContain('mode: "live"');
    expect(snippet).toContain('"body": "hi"');
  });
});
