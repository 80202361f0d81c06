// The provider contract, run against the worked example of docs/providers.md ("Writing an
// adapter", packages/core/test/third-party-adapter.ts): what we ask of adapter authors, we
// check on our own example, with the same suite they run.
import { setupServer } from 'msw/node';
import * as vitest from 'vitest';
import { localModelProvider } from '../../test/third-party-adapter';
import { createOpenAIMock, describeProviderContract, providerMockHarness } from '../testing';

const BASE = 'http://127.0.0.1:8089/v1';
const mock = createOpenAIMock({ baseURL: BASE });
const server = setupServer(...mock.handlers);

describeProviderContract(
  providerMockHarness({
    name: 'third-party example (docs/providers.md)',
    providerId: 'local',
    model: 'qwen3-8b',
    mock,
    setup: () => server.listen({ onUnhandledFrame: 'error' }),
    teardown: () => server.close(),
    createAdapter: () => localModelProvider({ baseUrl: BASE }),
  }),
  vitest,
);
