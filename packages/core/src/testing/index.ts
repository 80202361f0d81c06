// `@agentry/core/testing`: helpers for testing code that runs agents, offline.
// The only entry that imports `msw` (an optional peer dependency): install it to use the
// provider API mocks. `recordingMockProvider` needs nothing beyond core.

export type { AnthropicMockOptions } from './anthropic-mock';
export { anthropicHandlers, createAnthropicMock } from './anthropic-mock';
export type { CoordinatorContractHarness } from './coordinator-contract';
export { describeCoordinatorContract } from './coordinator-contract';
export type {
  ChunkDelay,
  MockReply,
  MockScript,
  MockToolCall,
  MockToolResult,
  MockUsage,
  ProviderMock,
  ProviderMockOptions,
  RecordedRequest,
} from './mock-reply';
export type { OpenAIMockOptions } from './openai-mock';
export { createOpenAIMock, openaiHandlers } from './openai-mock';
export { describeProviderContract } from './provider-contract';
// Not exported: `createProviderMock` and the dialects (internal; the two named mocks cover the APIs).
export type {
  ContractReply,
  ContractRequest,
  ContractToolCall,
  ContractUsage,
  ProviderContractHarness,
  ProviderContractSupport,
} from './provider-contract-harness';
export { CONTRACT_STATUSES } from './provider-contract-harness';
export type { ContractAssertion, ContractTestApi } from './provider-contract-support';
export type { ProviderMockHarnessOptions } from './provider-mock-harness';
export { providerMockHarness } from './provider-mock-harness';
export type {
  RecordedCall,
  RecordingMockProvider,
  RecordingMockProviderOptions,
  RecordingReply,
  RecordingStreamReply,
} from './recording-mock-provider';
export { recordingMockProvider } from './recording-mock-provider';
export type { ExecutionStoreContractHarness } from './store-contract';
export { describeExecutionStoreContract } from './store-contract';
export type { TapeStoreContractHarness } from './tape-store-contract';
export { contractTapeEntry, describeTapeStoreContract } from './tape-store-contract';
export type { TapeMode, WithTapesOptions } from './tapes';
export { createMemoryTapeStore, readTapeMode, tapeDirectory, withTapes } from './tapes';
export type { TestCaseStoreContractHarness } from './test-case-store-contract';
export { describeTestCaseStoreContract } from './test-case-store-contract';
