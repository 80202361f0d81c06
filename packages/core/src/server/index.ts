// `@agentry/core/server`: Agentry's wire protocol as a web-standard handler, plus the
// Node adapter. `create-handler.ts` and everything it imports use only web APIs; the
// `node-*.ts` files (the adapter) are the only ones that refer to `node:` modules, for types only.

export type { CorsOptions } from './cors';
export { createHandler } from './create-handler';
export type { AgentryHandler, HandlerExecutor, HandlerOptions, ResolveTenant } from './handler-options';
export type { NodeClientErrorOptions } from './node-client-errors';
export { handleNodeClientErrors } from './node-client-errors';
export type { NodeListener, NodeListenerOptions } from './node-listener';
export { toNodeListener } from './node-listener';
export type { HandlerRunSaver } from './save-run';
export type { TestCaseRoutesOptions } from './test-case-routes';
