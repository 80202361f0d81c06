// The provider contract, run against the Anthropic adapter with the real `@anthropic-ai/sdk` talking to msw.
import { setupServer } from 'msw/node';
import * as vitest from 'vitest';
import { createAnthropicMock, describeProviderContract, providerMockHarness } from '../../testing';
import { anthropicProvider } from './anthropic-provider';

const API_KEY = 'sk-ant-api03-contract0123456789abcdefSECRET';
const mock = createAnthropicMock();
const server = setupServer(...mock.handlers);

describeProviderContract(
  providerMockHarness({
    name: 'anthropic',
    providerId: 'anthropic',
    model: 'claude-haiku-4-5',
    priced: true,
    secret: API_KEY,
    supports: { tools: true },
    mock,
    setup: () => server.listen({ onUnhandledFrame: 'error' }),
    teardown: () => server.close(),
    createAdapter: () => anthropicProvider({ apiKey: API_KEY }),
  }),
  vitest,
);
