export { MAX_PAGE_SIZE } from '../protocol';
export type { ExecutionPage, ExecutionStore, ListExecutionsOptions } from './execution-store';
export { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor';
export type { MemoryStoreOptions } from './memory-store';
export { createMemoryStore, localSave } from './memory-store';
