// `@agentry/postgres/pglite`: the embedded engine. The only entry that imports
// `@electric-sql/pglite` (an optional peer dependency).

export type { EmbeddedPool, EmbeddedPoolOptions } from './embedded-pool';
export { createEmbeddedPool } from './embedded-pool';
