// The media types the protocol sends, and the checks both sides apply to a `content-type`.
// The event stream's type lives with its encoding, in event-stream.ts.

/** Request bodies and successful answers. */
export const JSON_CONTENT_TYPE = 'application/json';

/** Error answers: RFC 9457 problem documents. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `type; charset=utf-8`, as every answer of the protocol is sent. */
export function withUtf8(type: string): string {
  return `${type}; charset=utf-8`;
}

/** The media type of a `content-type` header, lower-cased and without parameters (`text/html`), or `undefined`. */
export function mediaType(header: string | null | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** True for `application/json` and `application/*+json`, with any parameters. */
export function isJsonContentType(value: string | null | undefined): boolean {
  return typeof value === 'string' && JSON_TYPE.test(value.trim());
}
