import { describe, expect, it } from 'vitest';
import { AgentryError } from '../errors';
import { createRedactor } from '../logging';
import { recordingLogger, request } from './handler-parts.test-support';
import { createResponder, handlerRedactor } from './responses';

describe('createResponder', () => {
  const secret = 'sk-handler-secret-0123456789';
  const redactor = handlerRedactor([secret], undefined);

  it('answers JSON redacted, with its extra headers, uncached', async () => {
    const { logger } = recordingLogger();
    const response = createResponder(redactor, logger).json({ said: `key ${secret}` }, 201, { vary: 'Origin' });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(await response.text()).not.toContain(secret);
  });

  it("logs an internal error's own words (redacted, path without the query) and answers a generic problem", async () => {
    const { logger, lines } = recordingLogger();
    const response = createResponder(redactor, logger).problem(new Error(`db at ${secret} down`), {}, request());
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('db at');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.event).toBe('agentry.http.internal_error');
    expect(JSON.stringify(lines[0]?.fields)).toContain('"path":"/agents"');
    expect(JSON.stringify(lines[0]?.fields)).not.toContain(secret);
  });

  it('does not log an error it answers as it is', async () => {
    const { logger, lines } = recordingLogger();
    const response = createResponder(redactor, logger).problem(
      new AgentryError('not_found', 'No such run.'),
      {},
      request(),
    );
    expect(response.status).toBe(404);
    expect(lines).toEqual([]);
  });

  it('answers 204 with no body', async () => {
    const response = createResponder(redactor, recordingLogger().logger).noContent({});
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it("uses the executor's redactor as it is when the handler adds no secrets", () => {
    const executorRedactor = createRedactor(['x'.repeat(20)]);
    expect(handlerRedactor([], executorRedactor)).toBe(executorRedactor);
    expect(handlerRedactor(['y'.repeat(20)], executorRedactor)).not.toBe(executorRedactor);
  });
});
