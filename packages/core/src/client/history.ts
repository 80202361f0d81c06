// `@agentry/core/client/history`: an agent's server-kept history (`listExecutions`) as a small
// store a UI subscribes to. An entry of its own so a UI loads it with its history list (lazily),
// not with the client: everything `@agentry/core/client` exports lands in a host's first download.
export type {
  HistoryConnectOptions,
  HistoryList,
  HistoryListOptions,
  HistorySnapshot,
  HistoryStatus,
} from './run-store/history-list';
export { createHistoryList } from './run-store/history-list';
