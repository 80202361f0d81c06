// A remote's event stream read as this side's provider events: deltas, usage and the finish pass
// through; the remote's own tool steps pass through as service steps; its error is re-coded.
import { deserializeError } from '../../errors';
import type { ExecutionEvent } from '../../protocol';
import type { ProviderEvent } from '../types';
import { mapRemoteError } from './map-remote-error';
import { finishOf, usageOf } from './remote-metrics';

/** A remote record's output as text (structured output as its JSON). */
export function textOf(output: unknown): string {
  return typeof output === 'string' ? output : JSON.stringify(output ?? null);
}

/**
 * The provider events of a remote run's `ExecutionEvent`s. A remote that sent no deltas (or
 * fewer) still delivers its whole text before the finish; an `execution-error` throws the
 * remote's error, re-coded for this side, after the usage it billed.
 */
export async function* providerEventsOf(
  events: AsyncIterable<ExecutionEvent>,
  provider: string,
): AsyncGenerator<ProviderEvent> {
  let streamed = '';
  for await (const event of events) {
    switch (event.type) {
      case 'execution-start':
        break;
      case 'output-delta':
        streamed += event.delta;
        yield { type: 'text-delta', delta: event.delta };
        break;
      case 'usage':
        yield { type: 'usage', usage: event.usage };
        break;
      case 'execution-finish': {
        const { result } = event;
        const text = textOf(result.output);
        if (typeof result.output === 'string' && text.startsWith(streamed) && text.length > streamed.length) {
          yield { type: 'text-delta', delta: text.slice(streamed.length) };
        }
        const usage = usageOf(result.metrics);
        if (usage) yield { type: 'usage', usage };
        const finish: ProviderEvent = {
          type: 'finish',
          ...finishOf(result.metrics),
          model: result.metrics.model,
          requestId: result.id,
        };
        if (typeof result.output !== 'string') finish.object = result.output;
        yield finish;
        break;
      }
      case 'execution-error': {
        const billed = usageOf(event.result?.metrics);
        if (billed) yield { type: 'usage', usage: billed };
        throw mapRemoteError(deserializeError({ ...event.error, executionId: event.executionId }), provider);
      }
      case 'step-start':
      case 'tool-call':
      case 'tool-result':
      case 'step-finish':
        // The remote ran its own tools: its steps pass through to this run's events and record.
        yield { type: 'service-step', event };
        break;
      default:
        event satisfies never;
    }
  }
}
