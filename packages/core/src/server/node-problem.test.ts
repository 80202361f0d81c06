import type { ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { problemHeaders, protocolProblem, sendProblem } from './node-problem';

describe('Node adapter problem answers', () => {
  it('carry no-store, nosniff and connection: close, whatever extra headers are added', () => {
    expect(problemHeaders({ allow: 'GET, POST' })).toEqual({
      'content-type': 'application/problem+json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'close',
      allow: 'GET, POST',
    });
  });

  it('a protocol problem has a message for the user where one is written, and none otherwise', () => {
    expect(protocolProblem('bad_request', 'The request target is not a valid URL.')).toMatchObject({
      status: 400,
      detail: 'The request target is not a valid URL.',
      userMessage: 'The request was malformed and could not be read.',
    });
    expect(protocolProblem('request_timeout', 'Send it again.')).toMatchObject({ status: 408, code: 'timeout' });
  });

  it('a response already under way is cut off, not answered twice', () => {
    const destroy = vi.fn();
    const setHeader = vi.fn();
    const res = { headersSent: true, destroy, setHeader } as unknown as ServerResponse;
    sendProblem(res, protocolProblem('bad_request', 'late'));
    expect(destroy).toHaveBeenCalledOnce();
    expect(setHeader).not.toHaveBeenCalled();
  });
});
