// Entry point of the bundled demo server (`dist/server.js`): `pnpm demo` from the repo root.
import type { AddressInfo } from 'node:net';
import { createDemoServer } from './create-demo-server';
import { createDemoStore } from './demo-store';

const HOST = '127.0.0.1';
const port = Number(process.env.PORT ?? 4319);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT must be a port number (0 picks a free one); got "${process.env.PORT}".`);
  process.exit(1);
}

let history: Awaited<ReturnType<typeof createDemoStore>>;
try {
  history = await createDemoStore(process.env);
} catch (error) {
  console.error(`The demo could not open its history store: ${error instanceof Error ? error.message : String(error)}`);
  console.error('Set AGENTRY_STORE=memory to run without one.');
  process.exit(1);
}

const { server, liveSummary } = await createDemoServer({
  assetsDirectory: new URL('./public/', import.meta.url),
  ...(history.store === undefined ? {} : { store: history.store }),
  testCases: history.testCases,
});

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} is in use. Stop the other process or pick another port: PORT=4320 pnpm demo (PORT=0 picks a free one).`
      : `The demo server failed: ${error.message}`,
  );
  process.exit(1);
});

server.listen(port, HOST, () => {
  const { port: actual } = server.address() as AddressInfo;
  console.log(`Agentry demo running at http://${HOST}:${actual}`);
  console.log(history.summary);
  console.log(`${liveSummary} Press Ctrl-C to stop.`);
});

let stopping = false;
function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  console.log(`\nStopping the demo (${signal})…`);
  server.close(() => {
    history.close().finally(() => process.exit(0));
  });
  // Open event streams and keep-alive sockets would hold `close` open: end them now.
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
