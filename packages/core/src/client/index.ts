// `@agentry/core/client`: the browser-safe typed client for an Agentry server, and the
// SSE decoding it is built on. No `node:` imports here or below: this entry runs in
// browsers, workers, Deno, Bun and Node alike.

// Validation a browser can afford: the input JSON Schema from GET /agents, checked without zod.
export type { JsonParseResult, JsonSchema } from '../validation';
export { defaultsFromSchema, parseJsonInput, validateJsonSchema } from '../validation';
export type { AgentryClient, ClientHeaders, ClientOptions, ClientRetryOptions } from './create-client';
export { createClient } from './create-client';
export type { ReadExecutionEventsOptions } from './execution-event-stream';
export { readExecutionEvents } from './execution-event-stream';
export type { ProblemDetails } from './http-errors';
export { errorFromResponse, parseRetryAfter } from './http-errors';
export type { DecodeResult, ServerSentEvent, ServerSentEventParser } from './sse-decoder';
export { createServerSentEventParser, decodeServerSentEvents } from './sse-decoder';
