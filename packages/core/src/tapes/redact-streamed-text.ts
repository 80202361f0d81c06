// The text of a recorded stream, redacted once the stream has ended, as one text.
import { createStreamRedactor, type Redactor } from '../logging';
import { redactJsonValues } from './redact-json-text';
import type { TapeEvent } from './tape-types';

/**
 * `events` (text deltas as received; every other event already redacted) with the text redacted
 * as the one text it is:
 * - nothing in the whole text to redact: the deltas stay as they came, boundaries included;
 * - JSON whose values hold a secret (streamed structured output, where a key after an escaped
 *   newline escapes a text scan): one delta of the redacted JSON, at the first delta's time;
 * - otherwise: the deltas through one stream redactor, so a key split across deltas is caught
 *   (held text is released with the delta that releases it).
 */
export function redactStreamedText(events: readonly TapeEvent[], redactor: Redactor): TapeEvent[] {
  let received = '';
  for (const event of events) if (event.type === 'text-delta') received += event.delta;
  if (received === '') return [...events];
  const json = /^\s*[[{"]/.test(received) ? redactJsonValues(received, redactor) : undefined;
  if (json !== undefined) {
    const first = events.findIndex((event) => event.type === 'text-delta');
    return events.flatMap((event, index): TapeEvent[] => {
      if (index === first) return [{ atMs: event.atMs, type: 'text-delta', delta: json }];
      return event.type === 'text-delta' ? [] : [event];
    });
  }
  if (redactor.redactString(received) === received) return [...events];
  const stream = createStreamRedactor(redactor);
  const out: TapeEvent[] = [];
  const release = (text: string, atMs: number) => {
    if (text !== '') out.push({ atMs, type: 'text-delta', delta: text });
  };
  for (const event of events) {
    if (event.type === 'text-delta') release(stream.push(event.delta), event.atMs);
    else {
      if (event.type === 'finish') release(stream.flush(), event.atMs);
      out.push(event);
    }
  }
  release(stream.flush(), events.at(-1)?.atMs ?? 0);
  return out;
}
