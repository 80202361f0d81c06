// An OpenAI-compatible Chat Completions server that answers at once, for the live rows of
// bench/peers.bench.mjs. Run as a child process (`fork`): it binds 127.0.0.1 on a free port,
// sends `{ port }` to the parent, and exits by itself when the parent goes away (IPC
// disconnect) or after BENCH_SERVER_LIFETIME_MS (default 10 minutes), whichever comes first.
import http from 'node:http';

const LIFETIME_MS = Number(process.env.BENCH_SERVER_LIFETIME_MS ?? 600_000);
const TEXT = 'The capital of France is Paris.';
const CHUNKS = ['The capital ', 'of France ', 'is ', 'Paris.'];
const usage = {
  prompt_tokens: 14,
  completion_tokens: 8,
  total_tokens: 22,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};
const common = { id: 'chatcmpl-bench', created: 1735689600, model: 'gpt-4.1-mini-2025-04-14' };
const completion = JSON.stringify({
  ...common,
  object: 'chat.completion',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: TEXT, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage,
  service_tier: 'default',
  system_fingerprint: 'fp_bench',
});
const chunk = (delta, finish = null, extra = {}) =>
  `data: ${JSON.stringify({ ...common, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
const events = [
  chunk({ role: 'assistant', content: '' }),
  ...CHUNKS.map((content) => chunk({ content })),
  chunk({}, 'stop'),
  `data: ${JSON.stringify({ ...common, object: 'chat.completion.chunk', choices: [], usage })}\n\n`,
  'data: [DONE]\n\n',
].join('');

const server = http.createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions')) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Only POST /v1/chat/completions here.', type: 'not_found' } }));
      return;
    }
    const streaming = /"stream"\s*:\s*true/.test(Buffer.concat(parts).toString('utf8'));
    const body = streaming ? events : completion;
    response.writeHead(200, {
      'content-type': streaming ? 'text/event-stream' : 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-request-id': 'req_bench',
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;

const stop = () => {
  server.close();
  process.exit(0);
};
setTimeout(stop, LIFETIME_MS).unref();
process.on('disconnect', stop);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (process.send) process.send({ port: address.port });
  else console.log(`listening on http://127.0.0.1:${address.port}/v1`);
});
