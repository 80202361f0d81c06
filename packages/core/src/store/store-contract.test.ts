import * as vitest from 'vitest';
import { describeExecutionStoreContract } from '../testing';
import { createMemoryStore } from './memory-store';

describeExecutionStoreContract({ name: 'memory', create: () => createMemoryStore() }, vitest);
