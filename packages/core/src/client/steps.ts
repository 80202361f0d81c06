// `@agentry/core/client/steps`: a tool-using run's steps, read from the run store's events or
// from a record. An entry of its own so a UI loads it with its steps timeline (lazily), not
// with the client: everything `@agentry/core/client` exports lands in a host's first download.
export type { RunStep, RunStepStatus, RunToolCall, RunToolCallStatus } from './run-store/run-steps';
export { applyStepEvent, runSteps, stepsFromRecord } from './run-store/run-steps';
