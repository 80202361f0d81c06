// The wire protocol's routes: their paths and methods, matched by the handler and built by the
// client and the remote provider. Paths are relative to where the handler is mounted.

/** One route of the protocol, with the ids its path carries. Discriminated on `name`. */
export type Route =
  | { name: 'agents' }
  | { name: 'execute'; agentId: string }
  | { name: 'executions' }
  | { name: 'execution'; executionId: string }
  | { name: 'cancel'; executionId: string }
  | { name: 'events'; executionId: string }
  // --- tapes (issue 14) ---
  | { name: 'saveRun'; executionId: string }
  // --- end tapes ---
  | { name: 'health' }
  // ---- test cases (issue 16 item 8) ----
  | { name: 'test-cases'; agentId: string }
  | { name: 'test-case'; agentId: string; testCaseId: string };
// ---- end test cases ----

/** An HTTP method of the protocol. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The method (or methods) each route answers (besides `OPTIONS` for CORS). */
export const ROUTE_METHODS: Readonly<Record<Route['name'], RouteMethod | readonly RouteMethod[]>> = {
  agents: 'GET',
  execute: 'POST',
  executions: 'GET',
  execution: 'GET',
  cancel: 'POST',
  events: 'GET',
  // --- tapes (issue 14) ---
  saveRun: 'POST',
  // --- end tapes ---
  health: 'GET',
  // ---- test cases ----
  'test-cases': ['GET', 'POST'],
  'test-case': ['PUT', 'DELETE'],
  // ---- end test cases ----
};

/** The methods a route answers, as a list. */
export function routeMethods(name: Route['name']): readonly RouteMethod[] {
  const methods = ROUTE_METHODS[name];
  return typeof methods === 'string' ? [methods] : methods;
}

/** Every method the protocol uses, for an `Allow` header where no route is known. */
export const PROTOCOL_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];

/**
 * The path of a route, without a leading slash and with ids percent-encoded:
 * `agents/summarize/executions`. Join it to the mount point with `/`.
 */
export function routePath(route: Route): string {
  switch (route.name) {
    case 'agents':
      return 'agents';
    case 'execute':
      return `agents/${encodeURIComponent(route.agentId)}/executions`;
    case 'executions':
      return 'executions';
    case 'execution':
      return `executions/${encodeURIComponent(route.executionId)}`;
    case 'cancel':
      return `executions/${encodeURIComponent(route.executionId)}/cancel`;
    case 'events':
      return `executions/${encodeURIComponent(route.executionId)}/events`;
    // --- tapes (issue 14) ---
    case 'saveRun':
      return `executions/${encodeURIComponent(route.executionId)}/tape`;
    // --- end tapes ---
    case 'health':
      return 'health';
    // ---- test cases ----
    case 'test-cases':
      return `agents/${encodeURIComponent(route.agentId)}/test-cases`;
    case 'test-case':
      return `agents/${encodeURIComponent(route.agentId)}/test-cases/${encodeURIComponent(route.testCaseId)}`;
    // ---- end test cases ----
    default:
      return route satisfies never;
  }
}

/** The route of a path's decoded segments (after the mount point), or `undefined` when none matches. */
export function matchRoute(segments: readonly string[]): Route | undefined {
  // ---- test cases: the one route with four segments ----
  if (segments.length === 4 && segments[0] === 'agents' && segments[2] === 'test-cases') {
    return { name: 'test-case', agentId: segments[1] as string, testCaseId: segments[3] as string };
  }
  // ---- end test cases ----
  const [first, second, third, ...rest] = segments;
  if (rest.length > 0) return undefined;
  if (first === 'agents') {
    if (second === undefined) return { name: 'agents' };
    if (third === 'executions') return { name: 'execute', agentId: second };
    if (third === 'test-cases') return { name: 'test-cases', agentId: second };
    return undefined;
  }
  if (first === 'executions') {
    if (second === undefined) return third === undefined ? { name: 'executions' } : undefined;
    if (third === undefined) return { name: 'execution', executionId: second };
    if (third === 'cancel') return { name: 'cancel', executionId: second };
    if (third === 'events') return { name: 'events', executionId: second };
    // --- tapes (issue 14) ---
    if (third === 'tape') return { name: 'saveRun', executionId: second };
    // --- end tapes ---
    return undefined;
  }
  if (first === 'health' && second === undefined) return { name: 'health' };
  return undefined;
}

/** A mount point as `/api/agentry`: a leading slash, no trailing one; `''` for the root. */
export function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  const withSlash = basePath.startsWith('/') ? basePath : `/${basePath}`;
  return withSlash.replace(/\/+$/, '');
}

/** Splits the path after `basePath` into decoded segments; `undefined` when it is outside the mount or malformed. */
export function routeSegments(pathname: string, basePath: string): string[] | undefined {
  if (basePath !== '' && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return undefined;
  const rest = pathname.slice(basePath.length).replace(/^\/+|\/+$/g, '');
  if (rest === '') return [];
  try {
    return rest.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}
