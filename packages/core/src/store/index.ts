export type { ExecutionPage, ExecutionStore, ListExecutionsOptions } from './execution-store';
export type { MemoryStoreOptions } from './memory-store';
export { createMemoryStore } from './memory-store';
