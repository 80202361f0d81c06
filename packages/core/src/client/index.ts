// `@agentry/core/client`: the browser-safe typed client for an Agentry server, and the
// SSE decoding it is built on (defined in protocol/, shared with the server and the remote provider). No `node:` imports here or below: this entry runs in
// browsers, workers, Deno, Bun and Node alike.

export type { ProblemDocument, SaveRunAs, SaveRunResult } from '../protocol';
// What a browser needs at once about input: the defaults of the input JSON Schema from GET /agents
// and issue paths. The checks themselves (`parseJsonInput`, `validateJsonSchema`, `checkInput`)
// are the entry `@agentry/core/client/validation`, which the run store loads on demand.
export type { JsonSchema } from '../validation';
export { defaultsFromSchema, formatIssuePath } from '../validation';
export type { ClientHeaders, ClientOptions, ClientRetryOptions } from './client-options';
export type { AgentryClient } from './create-client';
export { createClient } from './create-client';
export type {
  AgentsStatus,
  InputCheck,
  InputState,
  ModeAvailability,
  RunConnection,
  RunEntry,
  RunSnapshot,
  RunStatus,
  RunStep,
  RunStepStatus,
  RunStore,
  RunStoreOptions,
  RunToolCall,
  RunToolCallStatus,
  StartRunOptions,
  SubmitOptions,
} from './run-store';
export {
  createRunStore,
  createStaleCheck,
  initialInputText,
  isHistoryEntryStale,
  modeAvailability,
  resolveMode,
} from './run-store';
