import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonLogger, type Logger, redactingLogger } from './logger';
import { createRedactor } from './redact';

const KEY = 'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6';
const at = () => new Date('2026-12-03T06:00:00.000Z');

function captured(options: Parameters<typeof jsonLogger>[0] = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = jsonLogger({ now: at, write: (line) => lines.push(JSON.parse(line)), ...options });
  return { logger, lines };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('jsonLogger', () => {
  it('writes one JSON object per event: time, level, event, the base fields, then the event fields', () => {
    const { logger, lines } = captured({ base: { service: 'api' } });
    logger.info('agentry.run.finished', { run_id: 'r1' });
    logger.warn('agentry.run.slow');
    logger.error('agentry.run.failed', { code: 'timeout' });
    expect(lines).toEqual([
      { time: '2026-12-03T06:00:00.000Z', level: 'info', event: 'agentry.run.finished', service: 'api', run_id: 'r1' },
      { time: '2026-12-03T06:00:00.000Z', level: 'warn', event: 'agentry.run.slow', service: 'api' },
      {
        time: '2026-12-03T06:00:00.000Z',
        level: 'error',
        event: 'agentry.run.failed',
        service: 'api',
        code: 'timeout',
      },
    ]);
  });

  it('writes from info up by default, and from the level given (that level included)', () => {
    const byDefault = captured();
    byDefault.logger.debug('quiet');
    byDefault.logger.info('heard');
    expect(byDefault.lines.map((line) => line.event)).toEqual(['heard']);

    const debug = captured({ level: 'debug' });
    debug.logger.debug('detail');
    expect(debug.lines).toEqual([{ time: '2026-12-03T06:00:00.000Z', level: 'debug', event: 'detail' }]);

    const warn = captured({ level: 'warn' });
    warn.logger.info('dropped');
    warn.logger.warn('kept');
    warn.logger.error('kept too');
    expect(warn.lines.map((line) => line.event)).toEqual(['kept', 'kept too']);
  });

  it('redacts key shapes and the redactor’s configured values in every field', () => {
    const { logger, lines } = captured({ redactor: createRedactor(['tenant-password-1']) });
    logger.info('agentry.call', { header: `Bearer ${KEY}`, note: 'pw tenant-password-1' });
    expect(JSON.stringify(lines)).not.toContain(KEY);
    expect(lines[0]).toMatchObject({ header: 'Bearer [REDACTED]', note: 'pw [REDACTED]' });
  });

  it('a field that cannot be serialized still gives a line, without the fields', () => {
    const { logger, lines } = captured();
    logger.error('agentry.odd', { size: 10n });
    expect(lines).toEqual([
      {
        time: '2026-12-03T06:00:00.000Z',
        level: 'error',
        event: 'agentry.odd',
        note: 'fields could not be serialized',
      },
    ]);
  });

  it('writes to stdout (console.log) when no write is given', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    jsonLogger({ now: at }).info('to.stdout');
    expect(log).toHaveBeenCalledWith('{"time":"2026-12-03T06:00:00.000Z","level":"info","event":"to.stdout"}');
  });
});

describe('redactingLogger', () => {
  function recording() {
    const calls: [string, string, unknown][] = [];
    const logger: Logger = {
      debug: (event, fields) => calls.push(['debug', event, fields]),
      info: (event, fields) => calls.push(['info', event, fields]),
      warn: (event, fields) => calls.push(['warn', event, fields]),
      error: (event, fields) => calls.push(['error', event, fields]),
    };
    return { logger, calls };
  }

  it('passes each level to the same method, the event and the fields redacted', () => {
    const { logger, calls } = recording();
    const wrapped = redactingLogger(logger, createRedactor());
    wrapped.debug(`event ${KEY}`, { key: KEY });
    wrapped.info('info.event', { nested: { authorization: KEY } });
    wrapped.warn('warn.event');
    wrapped.error('error.event', { ok: 1 });
    expect(calls).toEqual([
      ['debug', 'event [REDACTED]', { key: '[REDACTED]' }],
      ['info', 'info.event', { nested: { authorization: '[REDACTED]' } }],
      ['warn', 'warn.event', undefined],
      ['error', 'error.event', { ok: 1 }],
    ]);
  });

  it('a logger that throws never reaches the caller', () => {
    const broken: Logger = {
      debug: () => {
        throw new Error('EPIPE');
      },
      info: () => {
        throw new Error('EPIPE');
      },
      warn: () => {
        throw new Error('EPIPE');
      },
      error: () => {
        throw new Error('EPIPE');
      },
    };
    const wrapped = redactingLogger(broken, createRedactor());
    expect(() => wrapped.error('agentry.run.failed', { code: 'x' })).not.toThrow();
  });
});
