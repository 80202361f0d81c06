// handleNodeClientErrors on its own: the answer written for each parser error Node reports, read
// back as HTTP. A real socket for each case is in raw-requests.test.ts; some codes (a request
// timeout, a reset) cannot be provoked there without waiting, so here a server emits them.

import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { handleNodeClientErrors } from './node-client-errors';

interface FakeSocket {
  writable: boolean;
  _httpMessage?: { headersSent?: boolean } | null;
  end: ReturnType<typeof vi.fn>;
  destroy: ReturnType<typeof vi.fn>;
}

function socket(overrides: Partial<FakeSocket> = {}): FakeSocket {
  return { writable: true, end: vi.fn(), destroy: vi.fn(), ...overrides };
}

function parserError(code: string | undefined): Error & { code?: string } {
  const error: Error & { code?: string } = new Error(`parse error ${code}`);
  if (code !== undefined) error.code = code;
  return error;
}

interface Written {
  statusLine: string;
  headers: Record<string, string>;
  problem: { status: number; type: string; detail: string; title: string };
}

function written(fake: FakeSocket): Written {
  expect(fake.end).toHaveBeenCalledOnce();
  expect(fake.destroy).not.toHaveBeenCalled();
  const raw = fake.end.mock.calls[0]?.[0] as string;
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { statusLine, headers, problem: JSON.parse(raw.slice(split + 4)) };
}

function answerTo(code: string | undefined, allowedMethods?: readonly string[]): Written {
  const server = new EventEmitter();
  handleNodeClientErrors(server, allowedMethods === undefined ? {} : { allowedMethods });
  const fake = socket();
  server.emit('clientError', parserError(code), fake as unknown as Duplex);
  return written(fake);
}

describe('handleNodeClientErrors: the answer for each parser error', () => {
  it('an invalid method: 405 with Allow, saying methods are upper case', () => {
    const answer = answerTo('HPE_INVALID_METHOD', ['GET', 'PATCH']);
    expect(answer.statusLine).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer.headers.allow).toBe('GET, PATCH');
    expect(answer.headers.connection).toBe('close');
    expect(answer.problem.detail).toBe('This method is not supported; use GET, PATCH (methods are upper case).');
  });

  it('headers too large: 431, saying what to shorten', () => {
    const answer = answerTo('HPE_HEADER_OVERFLOW');
    expect(answer.problem.status).toBe(431);
    expect(answer.headers.allow).toBeUndefined();
    expect(answer.problem.detail).toBe('The request line and headers are too large. Shorten the URL or the headers.');
  });

  it('a request that did not arrive in time: 408', () => {
    const answer = answerTo('ERR_HTTP_REQUEST_TIMEOUT');
    expect(answer.statusLine).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer.problem).toMatchObject({
      status: 408,
      type: 'urn:agentry:error:request_timeout',
      detail: 'The request did not arrive in time. Send it again.',
    });
  });

  it('an invalid URL: 400 saying so', () => {
    const answer = answerTo('HPE_INVALID_URL');
    expect(answer.problem).toMatchObject({ status: 400, detail: 'The request target is not a valid URL.' });
  });

  it('anything else: 400 naming the parser code, or "unreadable" without one', () => {
    expect(answerTo('HPE_INVALID_CHUNK_SIZE').problem).toMatchObject({
      status: 400,
      type: 'urn:agentry:error:bad_request',
      detail:
        'The request is not valid HTTP/1.1 (HPE_INVALID_CHUNK_SIZE): check the request line, headers, Content-Length and chunked encoding.',
    });
    expect(answerTo(undefined).problem.detail).toMatch(/^The request is not valid HTTP\/1\.1 \(unreadable\): /);
  });

  it('CONNECT: 405 with Allow, saying this is not a proxy', () => {
    const server = new EventEmitter();
    handleNodeClientErrors(server);
    const fake = socket();
    server.emit('connect', {} as IncomingMessage, fake as unknown as Duplex);
    const answer = written(fake);
    expect(answer.problem.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, POST, PUT, DELETE');
    expect(answer.problem.detail).toBe(
      'CONNECT is not supported: this server is not a proxy. Use GET, POST, PUT, DELETE.',
    );
  });
});

describe('handleNodeClientErrors: when there is no one to answer', () => {
  const cases: [string, string, Partial<FakeSocket>][] = [
    ['a reset connection', 'ECONNRESET', {}],
    ['a socket that can no longer be written', 'HPE_INVALID_CHUNK_SIZE', { writable: false }],
    ['a response already under way', 'HPE_INVALID_CHUNK_SIZE', { _httpMessage: { headersSent: true } }],
  ];
  for (const [name, code, state] of cases) {
    it(`${name}: the socket is destroyed, nothing written`, () => {
      const server = new EventEmitter();
      handleNodeClientErrors(server);
      const fake = socket(state);
      server.emit('clientError', parserError(code), fake as unknown as Duplex);
      expect(fake.destroy).toHaveBeenCalledOnce();
      expect(fake.end).not.toHaveBeenCalled();
    });
  }

  it('a response not yet started is still answered', () => {
    const server = new EventEmitter();
    handleNodeClientErrors(server);
    const fake = socket({ _httpMessage: { headersSent: false } });
    server.emit('clientError', parserError('HPE_INVALID_CHUNK_SIZE'), fake as unknown as Duplex);
    expect(written(fake).problem.status).toBe(400);
  });
});

describe('handleNodeClientErrors: removing the handlers', () => {
  it('the returned function removes both, and only them', () => {
    const server = new EventEmitter();
    const other = vi.fn();
    server.on('clientError', other);
    const remove = handleNodeClientErrors(server);
    expect(server.listenerCount('clientError')).toBe(2);
    expect(server.listenerCount('connect')).toBe(1);
    remove();
    expect(server.listeners('clientError')).toEqual([other]);
    expect(server.listenerCount('connect')).toBe(0);
  });
});
