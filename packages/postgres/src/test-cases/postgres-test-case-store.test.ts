import { describeTestCaseStoreContract } from '@agentry/core/testing';
import * as vitest from 'vitest';
import { createPgliteBackend, createServerBackend, probeServer, type TestBackend } from '../postgres.test-support';
import { createPostgresTestCaseStore } from './postgres-test-case-store';

const server = await probeServer();

const backends: { name: string; skip?: string; create(): Promise<TestBackend> }[] = [
  { name: 'PGlite', create: createPgliteBackend },
  {
    name: 'PostgreSQL server',
    create: createServerBackend,
    ...(server.available ? {} : { skip: server.reason ?? 'no server' }),
  },
];

for (const entry of backends) {
  let backend: TestBackend | undefined;
  let schema = '';
  const opened = async () => {
    if (backend === undefined) {
      backend = await entry.create();
      schema = await backend.freshSchema('cases');
    }
    return backend;
  };
  describeTestCaseStoreContract(
    {
      name: entry.name,
      ...(entry.skip === undefined ? {} : { skip: entry.skip }),
      async create() {
        const { appPool } = await opened();
        return createPostgresTestCaseStore({ pool: appPool, schema });
      },
      close: () => backend?.close(),
    },
    vitest,
  );
}
