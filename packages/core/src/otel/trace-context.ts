// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` header, written
// by a client (the remote provider) and read by a server (an Agentry handler), so an execution
// that runs on a remote Agentry server joins the caller's trace. Done here rather than through
// the global propagator so it works whether or not the host registered one.
import {
  type Context,
  context,
  createTraceState,
  isSpanContextValid,
  type SpanContext,
  trace,
} from '@opentelemetry/api';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Reads a `traceparent` header value. `undefined` for anything the specification says to
 * ignore: a malformed value, version `ff`, an all-zero trace or parent id, or extra fields on
 * version `00`.
 */
export function parseTraceparent(
  value: string | null | undefined,
  traceState?: string | null,
): SpanContext | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16) & 0x01,
    isRemote: true,
  };
  if (!isSpanContextValid(spanContext)) return undefined;
  if (typeof traceState === 'string' && traceState.trim() !== '') spanContext.traceState = createTraceState(traceState);
  return spanContext;
}

/** The `traceparent` value for a span context. */
export function formatTraceparent(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}-0${(spanContext.traceFlags & 0x01).toString(16)}`;
}

/**
 * The W3C trace headers (`traceparent`, and `tracestate` when set) of the active span, or `{}`
 * outside a trace. Pass them to the remote provider so the remote Agentry server's execution
 * becomes a child of the `chat` span that called it:
 *
 * ```ts
 * remoteProvider({ baseUrl, headers: () => ({ authorization: `Bearer ${token}`, ...traceHeaders() }) })
 * ```
 */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const spanContext = trace.getSpanContext(from);
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  const headers: Record<string, string> = { traceparent: formatTraceparent(spanContext) };
  const traceState = spanContext.traceState?.serialize();
  if (traceState) headers.tracestate = traceState;
  return headers;
}

/**
 * Wraps a fetch-style handler (`createHandler(…)`) so a request's `traceparent` becomes the
 * parent of what the handler does: the executions it runs join the caller's trace. When a span
 * is already active (the host's HTTP instrumentation extracted the header and started a server
 * span), that span stays the parent.
 */
export function withTraceContext<TRequest extends Request, TResult>(
  handler: (request: TRequest) => TResult,
): (request: TRequest) => TResult {
  return (request) => {
    const active = trace.getSpanContext(context.active());
    if (active && isSpanContextValid(active)) return handler(request);
    const remote = parseTraceparent(request.headers.get('traceparent'), request.headers.get('tracestate'));
    if (!remote) return handler(request);
    return context.with(trace.setSpanContext(context.active(), remote), () => handler(request));
  };
}
