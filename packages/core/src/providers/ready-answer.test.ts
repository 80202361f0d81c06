// ReadyEvents.textAhead: the text a stream's deltas will join to, known before the first one is
// applied (the executor redacts it once, as one text). A provider may give it as one string; it
// is used only when the deltas are its pieces, in order, and nothing else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadyEvents } from './ready-answer';
import type { ProviderEvent } from './types';

const eventsOf = (deltas: readonly string[]): ProviderEvent[] => [
  ...deltas.map((delta): ProviderEvent => ({ type: 'text-delta', delta })),
  { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
  { type: 'finish', finishReason: 'stop' },
];

describe('ReadyEvents.textAhead', () => {
  it('is the deltas joined, whatever text the provider gives with them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 6 }),
        fc.option(fc.string({ maxLength: 20 })),
        (deltas, given) => {
          const joined = deltas.join('');
          expect(new ReadyEvents(eventsOf(deltas), given ?? undefined).textAhead()).toBe(joined);
          expect(new ReadyEvents(eventsOf(deltas), joined).textAhead()).toBe(joined);
        },
      ),
      { numRuns: 500 },
    );
    // The pieces of the text but not all of it, or all of it and more.
    expect(new ReadyEvents(eventsOf(['The ', 'cap']), 'The capital').textAhead()).toBe('The cap');
    expect(new ReadyEvents(eventsOf(['The ', 'capital', '!']), 'The capital').textAhead()).toBe('The capital!');
  });

  it('is what is still to come once events were taken', () => {
    const events = new ReadyEvents(eventsOf(['One ', 'two ', 'three.']), 'One two three.');
    events.shift();
    expect(events.textAhead()).toBe('two three.');
  });
});
