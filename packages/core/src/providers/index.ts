export type {
  FinishReason,
  ProviderAdapter,
  ProviderContext,
  ProviderEvent,
  ProviderHealth,
  ProviderRequest,
  ProviderResponse,
} from './types';
