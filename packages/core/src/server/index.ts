// `@agentry/core/server`: Agentry's wire protocol as a web-standard handler, plus the
// Node adapter. `create-handler.ts` and everything it imports use only web APIs;
// `node-listener.ts` is the one file that imports `node:` modules.

export type { CorsOptions } from './cors';
export type { AgentryHandler, HandlerExecutor, HandlerOptions, ResolveTenant } from './create-handler';
export { createHandler } from './create-handler';
export type { NodeListener, NodeListenerOptions } from './node-listener';
export { toNodeListener } from './node-listener';
export type { ProblemDocument, ProtocolProblem } from './problem';
export { PROBLEM_TYPE_PREFIX, statusForCode, toProblem } from './problem';
export { encodeServerSentEvent, HEARTBEAT } from './sse-response';
