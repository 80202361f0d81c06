import { describe, expect, it } from 'vitest';
import { AgentryError } from '../../errors';
import { mapRemoteError } from './map-remote-error';

describe('mapRemoteError', () => {
  it("a remote whose sign-in check is unavailable (503 auth_unavailable) is a retryable provider_error here, not this user's sign-in problem", () => {
    const mapped = mapRemoteError(new AgentryError('auth_unavailable', 'JWKS down'), 'remote');
    expect(mapped).toMatchObject({ code: 'provider_error', retryable: true, provider: 'remote' });
  });

  it("a remote that refuses this side a permission (403 forbidden) is provider_auth_failed here, not this user's refusal", () => {
    const mapped = mapRemoteError(new AgentryError('forbidden', 'not allowed'), 'remote');
    expect(mapped).toMatchObject({ code: 'provider_auth_failed', retryable: false, provider: 'remote' });
  });
});
