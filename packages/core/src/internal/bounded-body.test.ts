import { describe, expect, it } from 'vitest';
import { limitStream, readBytesWithin } from './bounded-body';

function chunked(...sizes: number[]): {
  stream: ReadableStream<Uint8Array>;
  pulled: () => number;
  cancelled: () => boolean;
} {
  let index = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = sizes[index];
        index += 1;
        if (size === undefined) controller.close();
        else controller.enqueue(new Uint8Array(size).fill(65));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => index, cancelled: () => cancelled };
}

const tooLarge = () => new Error('too large');

describe('readBytesWithin', () => {
  it('returns the whole body when it fits', async () => {
    const bytes = await readBytesWithin(chunked(3, 4).stream, 7, tooLarge);
    expect(new TextDecoder().decode(bytes)).toBe('AAAAAAA');
  });

  it('stops at the chunk that goes over, cancels the stream and throws', async () => {
    const source = chunked(4, 4, 4, 4);
    await expect(readBytesWithin(source.stream, 6, tooLarge)).rejects.toThrow('too large');
    expect(source.pulled()).toBe(2);
    expect(source.cancelled()).toBe(true);
  });
});

describe('limitStream', () => {
  it('passes a body within the limit through', async () => {
    expect(await new Response(limitStream(chunked(2, 2).stream, 4, tooLarge)).text()).toBe('AAAA');
  });

  it('errors the stream once more than the limit went by, and cancels the source', async () => {
    const source = chunked(3, 3, 3, 3);
    await expect(new Response(limitStream(source.stream, 5, tooLarge)).text()).rejects.toThrow('too large');
    expect(source.cancelled()).toBe(true);
  });
});
