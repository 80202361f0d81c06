#!/usr/bin/env node
// The `agentry-postgres` bin: migrate | rollback | status --url …
import process from 'node:process';
import type { PostgresPool } from '../pool';
import { runCli } from './run-cli';

type ClosablePool = PostgresPool & { end(): Promise<void> };

async function openPool(url: string): Promise<ClosablePool> {
  let pg: { Pool: new (config: object) => unknown };
  try {
    pg = (await import('pg')).default;
  } catch {
    throw new Error('The CLI needs the pg package: npm install pg');
  }
  return new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 10_000 }) as ClosablePool;
}

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  openPool,
}).then((code) => {
  process.exitCode = code;
});
