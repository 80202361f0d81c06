import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createExecutor,
  createMemoryTestCaseStore,
  type ExecutionStore,
  jsonLogger,
  mockProvider,
  type TestCaseStore,
} from '@agentry/core';
import { createHandler, handleNodeClientErrors, toNodeListener } from '@agentry/core/server';
import { createDemoAgents } from '../agents';
import { type DemoEnvironment, resolveLiveConfig } from './live-config';
import { FAVICON_SVG, type PageConfig, pageHtml } from './page-html';
import {
  createSessionStore,
  DEMO_TENANTS,
  type DemoTenant,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
} from './tenants';

/** Options for {@link createDemoServer}. */
export interface DemoServerOptions {
  /** Where the browser bundle (`app.js`, `app.css`) is. */
  assetsDirectory: URL;
  /** Environment: provider keys and the kill switch. @default process.env */
  environment?: DemoEnvironment;
  /** Where log lines go. @default console.log */
  write?: (line: string) => void;
  /** Where execution history lives. @default the executor's in-memory store */
  store?: ExecutionStore;
  /** Where saved test cases live (per workspace and agent). @default in memory */
  testCases?: TestCaseStore;
}

const AGENTRY_PATH = '/api/agentry';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The page loads nothing from other origins: everything is served from here.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, headers = {}) {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers });
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown, headers = {}) {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value), headers);
}

async function readJson(request: IncomingMessage, limit = 4096): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('Body too large.');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The demo host app: a fake SaaS dashboard page with the TestPanel, the Agentry handler at
 * `/api/agentry`, and `POST /demo/session` to switch workspace. Returns an unstarted
 * `node:http` server.
 */
export async function createDemoServer(options: DemoServerOptions): Promise<{ server: Server; liveSummary: string }> {
  const environment = options.environment ?? process.env;
  const liveConfig = await resolveLiveConfig(environment);
  const logger = jsonLogger({ base: { service: 'agentry-demo' }, ...(options.write ? { write: options.write } : {}) });
  const sessions = createSessionStore();

  const liveModel = liveConfig.model;
  const toolModel =
    liveModel && liveConfig.providers[liveModel.provider]?.capabilities?.tools === true ? liveModel : undefined;
  const executor = createExecutor({
    agents: createDemoAgents(liveModel, toolModel),
    providers: {
      // Realistic but snappy: first words after ~0.1–0.25 s, a whole answer in about a second.
      mock: mockProvider({ seed: 2026, latency: { firstOutputMs: [90, 220], chunkMs: [6, 18] } }),
      ...liveConfig.providers,
    },
    live: liveConfig.live,
    logger,
    ...(options.store === undefined ? {} : { store: options.store }),
    limits: {
      timeoutMs: { mock: { totalMs: 5_000, firstOutputMs: 1_000 }, live: { totalMs: 60_000, firstOutputMs: 15_000 } },
    },
  });

  const agentry = toNodeListener(
    createHandler({
      executor,
      basePath: AGENTRY_PATH,
      logger,
      resolveTenant: (request) => sessions.resolveTenant(request),
      // A reload or a dropped connection does not stop a run: the panel reconnects to its events
      // (GET /executions/:id/events) and shows it going on; Stop still cancels it.
      streamDisconnect: 'continue',
      ...(liveConfig.saveRuns ? { saveRuns: liveConfig.saveRuns } : {}), // tapes (issue 14)
      testCases: { store: options.testCases ?? createMemoryTestCaseStore() },
    }),
  );

  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const [name, type] of [
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.css', 'text/css; charset=utf-8'],
  ] as const) {
    assets.set(`/assets/${name}`, { type, body: await readFile(new URL(name, options.assetsDirectory)) });
  }
  assets.set('/assets/favicon.svg', { type: 'image/svg+xml', body: Buffer.from(FAVICON_SVG) });

  const live: PageConfig['live'] = !liveConfig.live.enabled
    ? { enabled: false, reason: liveConfig.live.reason ?? 'Live mode is off.', label: 'Mock only' }
    : liveConfig.replay
      ? {
          enabled: true,
          replay: true,
          label: 'replay of recorded answers',
          reason:
            'No model API key on this server: live runs replay the answers recorded in examples/demo/tapes, at the recorded pace. Nothing is sent to a provider or billed; an input nobody recorded fails with the difference.',
        }
      : { enabled: true, label: `${liveConfig.model?.provider} · ${liveConfig.model?.model}` };
  // Which agent names to show next to the recorded inputs (the page offers only this workspace's).
  const agentNames = new Map<string, string>(createDemoAgents().map((agent) => [agent.id, agent.name]));
  const withRecorded = (tenant: DemoTenant): PageConfig['tenant'] => {
    if (!liveConfig.replay) return tenant;
    return {
      ...tenant,
      recorded: (liveConfig.replay.inputs[tenant.id] ?? []).map(({ agentId, input }) => ({
        agentId,
        agentName: agentNames.get(agentId) ?? agentId,
        input,
      })),
    };
  };

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === AGENTRY_PATH || url.pathname.startsWith(`${AGENTRY_PATH}/`)) {
      agentry(request, response);
      return;
    }
    const sessionId = readCookie(request.headers.cookie, SESSION_COOKIE);

    if (url.pathname === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      let tenant = sessions.tenantOf(sessionId);
      const headers: Record<string, string> = {};
      if (!tenant) {
        // First visit (or the server restarted): sign the visitor in to the first workspace.
        const session = sessions.create();
        tenant = session.tenant;
        headers['set-cookie'] = sessionCookie(session.id);
      }
      const config: PageConfig = {
        tenants: DEMO_TENANTS.map(({ id, name, plan }) => ({ id, name, plan })),
        tenant: withRecorded(tenant),
        agentryPath: AGENTRY_PATH,
        live,
      };
      send(response, 200, 'text/html; charset=utf-8', pageHtml(config), headers);
      return;
    }

    if (url.pathname === '/demo/session') {
      if (request.method !== 'POST') {
        sendJson(response, 405, { error: 'Use POST with {"tenantId": "acme" | "globex"}.' }, { allow: 'POST' });
        return;
      }
      if (!request.headers['content-type']?.startsWith('application/json')) {
        sendJson(response, 415, { error: 'Send JSON: {"tenantId": "acme" | "globex"}.' });
        return;
      }
      let body: unknown;
      try {
        body = await readJson(request);
      } catch {
        sendJson(response, 400, { error: 'The body is not valid JSON: send {"tenantId": "acme" | "globex"}.' });
        return;
      }
      const tenantId = (body as { tenantId?: unknown } | null)?.tenantId;
      const known = DEMO_TENANTS.map((tenant) => tenant.id);
      if (typeof tenantId !== 'string' || !known.includes(tenantId)) {
        sendJson(response, 400, { error: `Unknown workspace. Use one of: ${known.join(', ')}.` });
        return;
      }
      let headers = {};
      let id = sessionId;
      if (!sessions.tenantOf(id)) {
        id = sessions.create().id;
        headers = { 'set-cookie': sessionCookie(id) };
      }
      const tenant = sessions.switchTo(id!, tenantId)!;
      sendJson(response, 200, { tenant: withRecorded(tenant) }, headers);
      return;
    }

    const asset = assets.get(url.pathname);
    if (asset && (request.method === 'GET' || request.method === 'HEAD')) {
      send(response, 200, asset.type, asset.body);
      return;
    }
    send(response, 404, 'text/plain; charset=utf-8', 'Not found. The demo lives at /.');
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      logger.error('demo.request_failed', { path: request.url, message: String(error) });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error.');
      else response.destroy();
    });
  });
  // What Node's own parser refuses (unknown methods, broken framing) answers problem+json too.
  handleNodeClientErrors(server);
  return { server, liveSummary: liveConfig.summary };
}
