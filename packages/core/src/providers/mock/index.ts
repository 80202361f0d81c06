export type { MockDelay, MockFailureKind, MockFailureOptions, MockLatency, MockProviderOptions } from './mock-provider';
export { mockProvider } from './mock-provider';
