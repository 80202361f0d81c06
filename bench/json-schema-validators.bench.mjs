// The browser-side JSON Schema validator (packages/core/src/validation/json-schema.ts) against
// @cfworker/json-schema: correctness on the official JSON-Schema-Test-Suite files copied into
// packages/core/test/fixtures/json-schema-test-suite (the keywords z.toJSONSchema emits), size
// in a browser bundle (esbuild, minify, gzip -9), and speed on a realistic agent input.
// Run: node bench/run.mjs bench/json-schema-validators.bench.mjs
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Validator } from '@cfworker/json-schema';
import { build } from 'esbuild';
import { validateJsonSchema } from '../packages/core/src/validation/json-schema.ts';

const root = process.cwd();
const suiteDir = path.join(root, 'packages/core/test/fixtures/json-schema-test-suite');
const files = (dir, prefix = '') =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : entry.name.endsWith('.json')
        ? [`${prefix}${entry.name}`]
        : [],
  );

const candidates = {
  agentry: (schema) => (value) => validateJsonSchema(schema, value).length === 0,
  '@cfworker/json-schema': (schema) => {
    const validator = new Validator(schema, '2020-12', false);
    return (value) => validator.validate(value).valid;
  },
};

console.log('Correctness on JSON-Schema-Test-Suite (draft 2020-12), all cases of the copied files:');
for (const [name, compile] of Object.entries(candidates)) {
  let passed = 0;
  let failed = 0;
  let threw = 0;
  for (const file of files(suiteDir)) {
    for (const group of JSON.parse(readFileSync(path.join(suiteDir, file), 'utf8'))) {
      for (const test of group.tests) {
        try {
          if (compile(group.schema)(test.data) === test.valid) passed += 1;
          else failed += 1;
        } catch {
          threw += 1;
        }
      }
    }
  }
  console.log(`  ${name.padEnd(24)} ${passed} passed, ${failed} failed, ${threw} threw`);
}

console.log('\nBrowser bundle (esbuild minify, ESM, gzip -9):');
const entries = {
  agentry: "export { validateJsonSchema } from './packages/core/src/validation/json-schema.ts';",
  '@cfworker/json-schema': "export { Validator } from '@cfworker/json-schema';",
};
for (const [name, contents] of Object.entries(entries)) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  console.log(
    `  ${name.padEnd(24)} ${(code.byteLength / 1000).toFixed(1)} kB min, ${(gzipSync(code, { level: 9 }).byteLength / 1000).toFixed(1)} kB min+gzip`,
  );
}

console.log('\nSpeed: a realistic input (object, 200 items of 4 fields, enums, bounds):');
const schema = {
  type: 'object',
  properties: {
    text: { type: 'string', minLength: 1, maxLength: 20000 },
    style: { type: 'string', enum: ['brief', 'detailed'] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer', minimum: 0 },
          name: { type: 'string' },
          tags: { type: 'array', items: { type: 'string', maxLength: 10 } },
          score: { anyOf: [{ type: 'number', maximum: 1 }, { type: 'null' }] },
        },
        required: ['id', 'name'],
        additionalProperties: false,
      },
    },
  },
  required: ['text'],
};
const value = {
  text: 'x'.repeat(2000),
  style: 'brief',
  items: Array.from({ length: 200 }, (_, id) => ({ id, name: `n${id}`, tags: ['a', 'b'], score: id % 2 ? 0.5 : null })),
};
for (const [name, compile] of Object.entries(candidates)) {
  const check = compile(schema);
  for (let index = 0; index < 50; index += 1) check(value);
  const runs = 300;
  const start = process.hrtime.bigint();
  for (let index = 0; index < runs; index += 1) check(value);
  console.log(
    `  ${name.padEnd(24)} ${(Number(process.hrtime.bigint() - start) / 1e6 / runs).toFixed(3)} ms/validation`,
  );
}
