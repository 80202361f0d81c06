import { describeCoordinatorContract } from '@agentry/core/testing';
import * as vitest from 'vitest';
import { afterAll, beforeAll, describe } from 'vitest';
import { createPgliteBackend, createServerBackend, probeServer, type TestBackend } from '../postgres.test-support';
import { createPostgresCoordinator } from './postgres-coordinator';

const server = await probeServer();
const backends: { name: string; skip?: string; create(): Promise<TestBackend> }[] = [
  { name: 'PGlite', create: createPgliteBackend },
  { name: 'PostgreSQL server', create: createServerBackend, ...(server.available ? {} : { skip: 'no server' }) },
];

for (const entry of backends) {
  describe.skipIf(entry.skip !== undefined)(`createPostgresCoordinator on ${entry.name}`, () => {
    let backend: TestBackend;
    beforeAll(async () => {
      backend = await entry.create();
    }, 60_000);
    afterAll(async () => {
      await backend?.close();
    });
    describeCoordinatorContract(
      {
        name: `PostgreSQL (${entry.name})`,
        async create({ now, leaseTtlMs }) {
          const schema = await backend.freshSchema('coord');
          return createPostgresCoordinator({ pool: backend.appPool, schema, now, leaseTtlMs, pollIntervalMs: 0 });
        },
        dispose: (coordinator) => coordinator.close?.(),
      },
      vitest,
    );
  });
}
