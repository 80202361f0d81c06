// `@agentry/core/client`: the browser-safe typed client for an Agentry server, and the
// SSE decoding it is built on (defined in protocol/, shared with the server and the remote provider). No `node:` imports here or below: this entry runs in
// browsers, workers, Deno, Bun and Node alike.

export type { ProblemDocument } from '../protocol';
// Validation a browser can afford: the input JSON Schema from GET /agents, checked without zod.
export type { JsonParseResult, JsonSchema, ParseJsonInputOptions } from '../validation';
export { defaultsFromSchema, formatIssuePath, parseJsonInput, validateJsonSchema } from '../validation';
export type { AgentryClient, ClientHeaders, ClientOptions, ClientRetryOptions } from './create-client';
export { createClient } from './create-client';
export type {
  AgentsStatus,
  CheckInputResult,
  HistoryConnectOptions,
  HistoryList,
  HistoryListOptions,
  HistorySnapshot,
  HistoryStatus,
  InputCheck,
  InputState,
  ModeAvailability,
  RunEntry,
  RunSnapshot,
  RunStatus,
  RunStore,
  RunStoreOptions,
  StartRunOptions,
  SubmitOptions,
} from './run-store';
export {
  checkInput,
  createHistoryList,
  createRunStore,
  createStaleCheck,
  initialInputText,
  isHistoryEntryStale,
  modeAvailability,
  resolveMode,
} from './run-store';
