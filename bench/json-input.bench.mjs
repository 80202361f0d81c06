// Cost of the JSON input parser's safety (depth pre-pass, iterative scanner) against bare
// JSON.parse, and of the SSE decoder on a long line arriving in small slices.
// Run: node bench/run.mjs bench/json-input.bench.mjs
import os from 'node:os';
import { parseJsonInput } from '@agentry/core/client/validation';
// Internal: the SSE parser is not a public export; the bench reads it from the source.
import { createServerSentEventParser } from '../packages/core/src/protocol/event-stream.ts';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timeIt(label, iterations, runs, body) {
  const perCall = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) body();
    perCall.push(Number(process.hrtime.bigint() - start) / 1e6 / iterations);
  }
  const value = median(perCall);
  console.log(`${label.padEnd(58)} ${value.toFixed(3).padStart(9)} ms/op (median of ${runs} × ${iterations})`);
  return value;
}

const tryParse = (text) => {
  try {
    JSON.parse(text);
  } catch {}
};
const items = Array.from({ length: 20_000 }, (_, index) => ({
  id: index,
  name: `item ${index}`,
  tags: ['a', 'b'],
  score: index / 7,
  nested: { ok: true },
}));
const large = JSON.stringify(items);
const typed = JSON.stringify({ text: 'Summarize this, please. '.repeat(60), style: 'brief', count: 3 }, null, 2);
const invalidAtEnd = `[${Array.from({ length: 300_000 }, () => '1').join(',')}`;
const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

console.log(
  `sizes: large ${large.length} chars, typed ${typed.length}, invalid ${invalidAtEnd.length}, deep ${deep.length}`,
);
const largeNative = timeIt('JSON.parse, 1.9 MB valid', 10, 7, () => JSON.parse(large));
const largeOurs = timeIt('parseJsonInput, 1.9 MB valid', 10, 7, () => parseJsonInput(large));
const typedNative = timeIt('JSON.parse, 1.5 kB typed input', 20_000, 7, () => JSON.parse(typed));
const typedOurs = timeIt('parseJsonInput, 1.5 kB typed input', 20_000, 7, () => parseJsonInput(typed));
timeIt('JSON.parse, 600 kB invalid at the end (throws)', 10, 7, () => tryParse(invalidAtEnd));
timeIt('parseJsonInput, 600 kB invalid at the end (located)', 10, 7, () => parseJsonInput(invalidAtEnd));
timeIt('parseJsonInput, 100k-deep arrays (refused)', 10, 7, () => parseJsonInput(deep));

const line = `data: ${'x'.repeat(1_048_576)}\n\n`;
const slices = [];
for (let index = 0; index < line.length; index += 1024) slices.push(line.slice(index, index + 1024));
timeIt('SSE parser, one 1 MB data line in 1 kB slices', 5, 7, () => {
  const parser = createServerSentEventParser(() => {});
  for (const slice of slices) parser.feed(slice);
  parser.end();
});

console.log('');
console.log(
  `parseJsonInput / JSON.parse: large ${(largeOurs / largeNative).toFixed(2)}×, typed ${(typedOurs / typedNative).toFixed(2)}×`,
);
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${os.platform()} ${os.arch()}`,
);
