import { context, TraceFlags, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installContextManager } from './otel.test-support';
import { formatTraceparent, parseTraceparent, traceHeaders, withTraceContext } from './trace-context';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

let uninstall: () => void;
beforeAll(() => {
  uninstall = installContextManager();
});
afterAll(() => uninstall());

describe('parseTraceparent', () => {
  it('reads the W3C example', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`, 'vendor=abc')).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(parseTraceparent(`00-${TRACE_ID}-${SPAN_ID}-01`, 'vendor=abc')?.traceState?.get('vendor')).toBe('abc');
  });

  it('ignores what the specification says to ignore', () => {
    for (const value of [
      undefined,
      null,
      '',
      'garbage',
      `ff-${TRACE_ID}-${SPAN_ID}-01`,
      `00-${'0'.repeat(32)}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`,
      `00-${TRACE_ID}-${SPAN_ID}-01-extra`,
      `00-${TRACE_ID}-${SPAN_ID}`,
    ]) {
      expect(parseTraceparent(value)).toBeUndefined();
    }
    // A future version may add fields after the flags.
    expect(parseTraceparent(`01-${TRACE_ID}-${SPAN_ID}-01-what-comes-next`)?.traceId).toBe(TRACE_ID);
  });

  it('round-trips any valid span context, and never throws on any text (property)', () => {
    const hex = (length: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
    fc.assert(
      fc.property(hex(32), hex(16), fc.boolean(), (traceId, spanId, sampled) => {
        fc.pre(/[1-9a-f]/.test(traceId) && /[1-9a-f]/.test(spanId));
        const spanContext = { traceId, spanId, traceFlags: sampled ? 1 : 0, isRemote: true };
        expect(parseTraceparent(formatTraceparent(spanContext))).toEqual(spanContext);
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string()), (text, traceState) => {
        expect(() => parseTraceparent(text, traceState)).not.toThrow();
      }),
    );
  });
});

describe('traceHeaders and withTraceContext', () => {
  it('no headers outside a trace', () => {
    expect(traceHeaders()).toEqual({});
  });

  it("a handler wrapped by withTraceContext runs in the request's trace; traceHeaders gives it back", async () => {
    const handler = withTraceContext(async (_request: Request) => traceHeaders());
    const request = new Request('http://127.0.0.1/api', {
      headers: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=abc' },
    });
    expect(await handler(request)).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'vendor=abc' });
    expect(await handler(new Request('http://127.0.0.1/api'))).toEqual({});
  });

  it('an active span (the host extracted the header already) stays the parent', async () => {
    const local = trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
    const handler = withTraceContext(async (_request: Request) => traceHeaders());
    const request = new Request('http://127.0.0.1/api', { headers: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` } });
    const headers = await context.with(trace.setSpan(context.active(), local), () => handler(request));
    expect(headers.traceparent).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
  });
});
