import { describe, expect, test } from 'vitest';
import { checkLogs } from './check-logs';
import { createSecretScanner } from './secret-scan';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ time: '2026-12-02T18:00:00.000Z', level: 'info', event: 'agentry.execution.completed', ...fields });
const complete = { tenant_id: 'acme', user_id: 'user_ada', duration_ms: 12.5 };

describe('checkLogs', () => {
  test('✅ when every completion line has its fields and no line a secret', () => {
    const text = [line({ ...complete, execution_id: 'exe_1' }), 'plain text line', ''].join('\n');
    const result = checkLogs('server.jsonl', text, createSecretScanner(), ['exe_1']);
    expect(result.status).toBe('pass');
    expect(result.figure).toBe('1 completion lines: 0 without the fields; 0 secrets');
    expect(result.details).toEqual([
      '1 lines are not JSON (ignored)',
      '1 of the 1 runs this verify started are in the log',
    ]);
  });

  test('❌ a line without the fields, naming the line and the fields', () => {
    const text = [line(complete), line({ tenant_id: 'acme', duration_ms: '12' })].join('\n');
    const result = checkLogs('server.jsonl', text, createSecretScanner(), []);
    expect(result.status).toBe('fail');
    expect(result.details[0]).toBe('server.jsonl:2: agentry.execution.completed without user_id, duration_ms');
  });

  test('❌ a secret on any line, with its shape and never its value', () => {
    const key = 'sk-ant-api03-verifyLogLeak0123456789';
    const text = [line(complete), JSON.stringify({ event: 'debug', header: `x-api-key: ${key}` })].join('\n');
    const result = checkLogs('server.jsonl', text, createSecretScanner(), []);
    expect(result.status).toBe('fail');
    expect(result.details[0]).toMatch(/^server\.jsonl:2: authorization-header — /);
    expect(JSON.stringify(result)).not.toContain(key);
  });

  test('⚠️ a log without completion lines, or without this run’s executions', () => {
    expect(checkLogs('x.jsonl', '{"event":"other"}', createSecretScanner(), []).status).toBe('warn');
    expect(checkLogs('x.jsonl', line(complete), createSecretScanner(), ['exe_9']).status).toBe('warn');
    expect(checkLogs(undefined, undefined, createSecretScanner(), []).status).toBe('skip');
  });
});
