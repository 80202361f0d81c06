import { describe, expect, test } from 'vitest';
import { renderHtml } from './render-html';
import type { VerifyReport } from './report';

const report: VerifyReport = {
  version: 1,
  url: 'https://staging.example.com/api/agentry',
  startedAt: '2026-12-02T18:00:00.000Z',
  finishedAt: '2026-12-02T18:01:00.000Z',
  status: 'fail',
  checks: [
    { id: 'health', title: 'Health', status: 'pass', figure: 'ok', details: [] },
    {
      id: 'secrets',
      title: 'No API key or credential in any response',
      status: 'fail',
      figure: '1 credential found',
      details: [
        'GET /health (health), body: openai-or-anthropic-key — {"debug":"[REDACTED]"} <script>alert(1)</script>',
      ],
    },
  ],
  latency: {
    targetMs: { mock: 500, live: 3000 },
    mockFirstOutputMs: [120, 180, 640],
    mockTotalMs: [],
    liveFirstOutputMs: [],
    loadMs: [],
  },
  requests: {
    total: 3,
    byPhase: { health: 3 },
    notOk: [
      { phase: 'errors', route: 'POST /agents/:id/executions', answer: '400 invalid_json', count: 1, expected: true },
    ],
  },
};

describe('renderHtml', () => {
  const html = renderHtml(report);

  test('self-contained: no script, no external asset, a CSP that forbids loading any', () => {
    expect(html).not.toMatch(/<script|<link|\bsrc=|url\(|@import/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  test('escapes what it shows', () => {
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  test('the checklist, a histogram with the target line and the bars over it, the error breakdown', () => {
    expect(html).toContain('<tr class="fail" data-check="secrets" data-status="fail">');
    expect(html).toContain('<details open>');
    expect(html).toMatch(/<svg role="img" aria-labelledby="mock-first-output-title mock-first-output-desc"/);
    expect(html).toContain('class="target"');
    expect(html).toMatch(/class="bar over"><title>600 ms–650 ms: 1<\/title>/);
    expect(html).toMatch(/class="bar"><title>150 ms–200 ms: 1<\/title>/);
    expect(html).toContain('<desc id="mock-first-output-desc">3 runs; p50 180 ms, p95 640 ms; target 500 ms</desc>');
    expect(html).toContain('<td>400 invalid_json</td><td>1</td><td>yes (a probe)</td>');
    expect(html).toContain('Not ready');
  });
});
