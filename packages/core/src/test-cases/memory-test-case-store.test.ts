import * as vitest from 'vitest';
import { describeTestCaseStoreContract } from '../testing';
import { createMemoryTestCaseStore } from './memory-test-case-store';

describeTestCaseStoreContract({ name: 'memory', create: () => createMemoryTestCaseStore() }, vitest);
