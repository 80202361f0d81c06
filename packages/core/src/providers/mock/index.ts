export type { MockFailureKind, MockFailureOptions, MockLatency, MockProviderOptions } from './mock-provider';
export { mockProvider } from './mock-provider';
