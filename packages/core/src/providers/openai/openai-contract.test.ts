// The provider contract, run against the OpenAI adapter with the real `openai` SDK talking to msw.
import { setupServer } from 'msw/node';
import * as vitest from 'vitest';
import { createOpenAIMock, describeProviderContract, providerMockHarness } from '../../testing';
import { openaiProvider } from './openai-provider';

const API_KEY = 'sk-proj-contract0123456789abcdefSECRET';
const mock = createOpenAIMock();
const server = setupServer(...mock.handlers);

describeProviderContract(
  providerMockHarness({
    name: 'openai',
    providerId: 'openai',
    model: 'gpt-4.1-mini',
    priced: true,
    secret: API_KEY,
    supports: { tools: true },
    mock,
    setup: () => server.listen({ onUnhandledFrame: 'error' }),
    teardown: () => server.close(),
    createAdapter: () => openaiProvider({ apiKey: API_KEY }),
  }),
  vitest,
);
