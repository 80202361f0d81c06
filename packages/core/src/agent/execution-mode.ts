/** The two ways to run an agent. */
export type ExecutionMode = 'mock' | 'live';
