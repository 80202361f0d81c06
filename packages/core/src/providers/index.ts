export type {
  FinishReason,
  MockRequestOptions,
  ProviderAdapter,
  ProviderContext,
  ProviderEvent,
  ProviderHealth,
  ProviderOptions,
  ProviderRequest,
  ProviderResponse,
} from './types';
