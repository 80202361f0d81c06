// The redactor's cost on the hot path: every log line, response and stream chunk goes through it.
// Run: npx -y pnpm@10 run bench:redact   (bundles the workspace sources, see bench/run.mjs)
// Clean text is the common case and must stay cheap (one pre-check pass); text with keys and the
// streaming redactor (the same text in 16-character chunks) show the cost when work is found.
import os from 'node:os';
import * as core from '@agentry/core';

const { createRedactor } = core;
// Absent before the streaming redactor existed: the bench then reports the batch figures only.
// Internal: the stream redactor is not a public export; the bench reads it from the source.
const { createStreamRedactor } = await import('../packages/core/src/logging/stream-redactor.ts');

const PROSE =
  'Agentry runs agents in mock and live mode. The basic idea: every mode runs one pipeline, ' +
  'and they said the key to it is a redactor that keeps secrets out of logs, errors and streams. ';
function clean(size) {
  let text = '';
  while (text.length < size) text += PROSE;
  return text.slice(0, size);
}
const KEYS = [
  'sk-proj-Zx81Ka0pQ7mN3vB5cT9uW2eR4yL6',
  'AKIAZ3MEXAMPLE7KQ2WB',
  'ghp_9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a',
  'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'xoxb-263594206564-2343594206574-FGqddMF8t08v8N7Oq4i57vs1MBS',
  'postgres://admin:hunter2@db.internal:5432/app',
];
function withKeys(size) {
  let text = '';
  let index = 0;
  while (text.length < size) {
    text += `${PROSE.slice(0, 120)} ${KEYS[index % KEYS.length]} `;
    index += 1;
  }
  return text.slice(0, size);
}

const configured = ['tenant-webhook-secret-4f9a2c', 'another-configured-value-91ab'];
const redactor = createRedactor(configured);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function timeIt(label, bytes, body) {
  // Enough iterations for ~50 ms a run, seven runs, the median.
  let iterations = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) body();
    if (Number(process.hrtime.bigint() - start) > 50e6) break;
    iterations *= 2;
  }
  const perCall = [];
  for (let run = 0; run < 7; run += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) body();
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  const micros = median(perCall);
  const mbPerSecond = bytes / micros;
  console.log(`${label.padEnd(40)} ${micros.toFixed(2).padStart(10)} µs/op ${mbPerSecond.toFixed(0).padStart(6)} MB/s`);
}

const cases = [
  ['clean text, 1 kB', clean(1024)],
  ['clean text, 64 kB', clean(65_536)],
  ['text with keys, 1 kB', withKeys(1024)],
  ['text with keys, 64 kB', withKeys(65_536)],
];
for (const [label, text] of cases) timeIt(`redactString: ${label}`, text.length, () => redactor.redactString(text));

if (typeof createStreamRedactor === 'function') {
  const chunked = (text, size) => {
    const chunks = [];
    for (let index = 0; index < text.length; index += size) chunks.push(text.slice(index, index + size));
    return chunks;
  };
  for (const [label, text] of cases.filter(([name]) => name.endsWith('64 kB'))) {
    const chunks = chunked(text, 16);
    timeIt(`stream, 16-char chunks: ${label}`, text.length, () => {
      const stream = createStreamRedactor(redactor);
      let out = '';
      for (const chunk of chunks) out += stream.push(chunk);
      out += stream.flush();
      return out;
    });
  }
}

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${os.platform()} ${os.arch()}`,
);
