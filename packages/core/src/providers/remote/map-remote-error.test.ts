import { describe, expect, it } from 'vitest';
import { AgentryError } from '../../errors';
import { mapRemoteError } from './map-remote-error';

describe('mapRemoteError', () => {
  it("a remote whose sign-in check is unavailable (503 auth_unavailable) is a retryable provider_error here, not this user's sign-in problem", () => {
    const mapped = mapRemoteError(new AgentryError('auth_unavailable', 'JWKS down'), 'remote');
    expect(mapped).toMatchObject({ code: 'provider_error', retryable: true, provider: 'remote' });
  });
});
