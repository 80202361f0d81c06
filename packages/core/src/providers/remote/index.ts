// `@agentry/core/remote`: a provider that runs agents on a remote service speaking
// Agentry's wire protocol (another Agentry server, or your own service). Plain `fetch`, no
// dependencies and no `node:` imports, so it also runs in edge runtimes.

export type { RemoteHeadersValue, RemoteProviderOptions } from './remote-provider';
export { remoteProvider } from './remote-provider';
