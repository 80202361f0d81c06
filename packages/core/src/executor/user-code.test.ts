import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import { createRedactor, type LogFields, type Logger } from '../logging';
import { createUserCodeReporter, isUserCodeFailure, userCodeFailure } from './user-code';

function recordingLogger() {
  const lines: [string, string, LogFields | undefined][] = [];
  const logger: Logger = {
    debug: (event, fields) => lines.push(['debug', event, fields]),
    info: (event, fields) => lines.push(['info', event, fields]),
    warn: (event, fields) => lines.push(['warn', event, fields]),
    error: (event, fields) => lines.push(['error', event, fields]),
  };
  return { logger, lines };
}

function reporter() {
  const { logger, lines } = recordingLogger();
  const redactor = createRedactor(['hunter2-secret']);
  return { lines, reporter: createUserCodeReporter({ logger, redactor, redactError: (error) => error }) };
}

describe('user code errors', () => {
  it('isUserCodeFailure: only errors built by userCodeFailure', () => {
    expect(isUserCodeFailure(userCodeFailure('The mock threw', new Error('x')))).toBe(true);
    expect(isUserCodeFailure(new AgentryError('internal', 'The mock threw'))).toBe(false);
    expect(isUserCodeFailure(null)).toBe(false);
    expect(isUserCodeFailure('The mock threw')).toBe(false);
  });

  it('an internal run failure is logged with its words and answered generically, keeping its ids', () => {
    const { reporter: report, lines } = reporter();
    const failure = new AgentryError('internal', 'db password hunter2-secret rejected', {
      executionId: 'exe_1',
      provider: 'openai',
      retryable: true,
    });
    const answered = report.publicFailure(failure, 'support', 'acme');
    expect(answered.message).toBe(
      'Agent "support" failed with an unexpected error; the details are in the server log.',
    );
    expect(answered).toMatchObject({ code: 'internal', executionId: 'exe_1', provider: 'openai', retryable: true });
    expect(answered.cause).toBe(failure);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[0]).toBe('error');
    expect(lines[0]?.[1]).toBe('agentry.execution.internal_error');
    expect(lines[0]?.[2]).toMatchObject({ tenant_id: 'acme', agent_id: 'support', execution_id: 'exe_1' });
    expect(JSON.stringify(lines)).not.toContain('hunter2-secret');

    const bare = report.publicFailure(new AgentryError('internal', 'boom'), 'support', 'acme');
    expect(bare.executionId).toBeUndefined();
    expect(bare.provider).toBeUndefined();
    expect(lines[1]?.[2]).toMatchObject({ execution_id: null });
  });

  it('a trusted failure passes as it is, without a log line', () => {
    const { reporter: report, lines } = reporter();
    const failure = new AgentryError('rate_limited', 'Slow down', { executionId: 'exe_2' });
    expect(report.publicFailure(failure, 'support', 'acme')).toBe(failure);
    expect(report.error('list_agents', failure, 'Listing agents', {})).toBe(failure);
    expect(lines).toEqual([]);
  });

  it('anything else user code throws outside a run is logged at its site and answered generically', () => {
    const { reporter: report, lines } = reporter();
    const answered = report.error('list_agents', new Error('hunter2-secret leaked'), 'Listing agents', {
      agent_id: 'a',
    });
    expect(answered.message).toBe('Listing agents; the details are in the server log.');
    expect(answered.code).toBe('internal');
    expect(lines).toEqual([
      [
        'error',
        'agentry.user_code.failed',
        expect.objectContaining({
          site: 'list_agents',
          agent_id: 'a',
          error_message: expect.stringContaining('[REDACTED]'),
        }),
      ],
    ]);
  });
});
