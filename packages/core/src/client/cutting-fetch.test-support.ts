// A `fetch` that serves an Agentry handler in-process and drops the first run stream part-way:
// how the client's (and the TestPanel's) reconnect is tested against the real server code.

/** Options for {@link cuttingFetch}. */
export interface CuttingFetchOptions {
  /** SSE events of the first run stream delivered before the connection drops; none dropped when absent. */
  cutAfter?: number;
  /** Makes every resume (`GET …/events`) fail as unreachable, so reconnecting gives up. @default false */
  failResumes?: boolean;
}

/** A fetch that serves `handler`, and cuts the first run stream after `cutAfter` SSE events. */
export function cuttingFetch(handler: (request: Request) => Promise<Response>, options: CuttingFetchOptions = {}) {
  const requests: { url: string; lastEventId: string | null }[] = [];
  let cut = options.cutAfter === undefined;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push({ url: request.url, lastEventId: request.headers.get('last-event-id') });
    if (options.failResumes && request.url.endsWith('/events')) throw new TypeError('fetch failed');
    const response = await handler(request);
    if (cut || !request.url.endsWith('/executions') || request.method !== 'POST' || response.body === null) {
      return response;
    }
    cut = true;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunk = await reader.read();
        if (chunk.done) return controller.close();
        controller.enqueue(chunk.value);
        seen += decoder.decode(chunk.value).split('\n\n').length - 1;
        if (seen >= (options.cutAfter as number)) {
          // The connection drops: the client sees a clean end before the final event.
          await reader.cancel();
          controller.close();
        }
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}
