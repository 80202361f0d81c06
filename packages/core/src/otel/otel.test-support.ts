// The OpenTelemetry SDK in memory, for the bridge's tests: spans to an InMemorySpanExporter,
// metrics read on demand, and the AsyncLocalStorage context manager (as a Node host has it).
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type DataPoint,
  type Histogram,
  type HistogramMetricData,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type AgentryTelemetryOptions, createAgentryTelemetry } from './index';

class TestMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Installs the async context manager once per test file; returns the function that removes it. */
export function installContextManager(): () => void {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  return () => {
    context.disable();
  };
}

export interface TelemetryHarness {
  telemetry: ReturnType<typeof createAgentryTelemetry>;
  tracerProvider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  spans(): ReadableSpan[];
  /** The one finished span with this name (fails when there are none or several). */
  span(name: string): ReadableSpan;
  /** The histogram data points of a metric, after a collection. */
  histogram(name: string): Promise<{ metric: HistogramMetricData; points: DataPoint<Histogram>[] }>;
}

export function createHarness(options: AgentryTelemetryOptions = {}): TelemetryHarness {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const telemetry = createAgentryTelemetry({ tracerProvider, meterProvider, ...options });
  const spans = () => exporter.getFinishedSpans();
  return {
    telemetry,
    tracerProvider,
    exporter,
    spans,
    span(name) {
      const found = spans().filter((span) => span.name === name);
      if (found.length !== 1) {
        throw new Error(
          `expected one span "${name}", found ${found.length}: ${spans()
            .map((s) => s.name)
            .join(', ')}`,
        );
      }
      return found[0] as ReadableSpan;
    },
    async histogram(name) {
      const { resourceMetrics } = await reader.collect();
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          if (metric.descriptor.name === name) {
            return { metric: metric as HistogramMetricData, points: metric.dataPoints as DataPoint<Histogram>[] };
          }
        }
      }
      throw new Error(`no metric "${name}"`);
    },
  };
}
