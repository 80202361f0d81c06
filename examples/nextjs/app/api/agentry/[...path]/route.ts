import { agentryHandler } from '../../../../lib/agentry';

// The handler is a plain `(request: Request) => Promise<Response>`: it is the route handler.
export const GET = agentryHandler;
export const POST = agentryHandler;

// Executions and history are per request and per tenant: never cache or prerender them.
export const dynamic = 'force-dynamic';
