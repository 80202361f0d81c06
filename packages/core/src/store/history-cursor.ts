import { AgentryError } from '../errors';

// A history cursor names a position in ONE tenant's own history: the sequence number of the
// last record on the page (1 for the tenant's first save, 2 for its second, …), bound to the
// tenant by a check value. Nothing in it depends on another tenant, so it reveals nothing about
// them; a cursor used by another tenant, edited, truncated or from the old format fails the
// check and gets the same `validation_failed` as any garbage. It is not a secret: the store only
// ever reads the requesting tenant's records, so a forged cursor can at most pick a position in
// the forger's own history.

const VERSION = 'v1';
// Cursors we issue are ~20 characters; anything much longer is refused before decoding.
const MAX_CURSOR_LENGTH = 64;
const PAYLOAD = /^v1\.([1-9][0-9]{0,15})\.([0-9a-z]{1,11})$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

// cyrb53: a fast 53-bit string hash. A check value, not a MAC (see above).
function checkValue(tenantId: string, sequence: number): string {
  const text = `${tenantId}\u0000${sequence}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function toBase64Url(text: string): string {
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string | undefined {
  try {
    return atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
}

function invalidCursor(): AgentryError {
  // One answer for every way a cursor can be wrong, so a foreign cursor cannot be told apart.
  return new AgentryError(
    'validation_failed',
    'The cursor is not one this server issued for your history (it may be edited, from another workspace, or from an older version). List again without a cursor and pass the nextCursor of each page unchanged.',
    { issues: [{ path: ['cursor'], code: 'invalid_cursor', message: 'Not a cursor issued for this history.' }] },
  );
}

/** The cursor for "records of `tenantId` older than the one with this sequence number". */
export function encodeHistoryCursor(tenantId: string, sequence: number): string {
  return toBase64Url(`${VERSION}.${sequence}.${checkValue(tenantId, sequence)}`);
}

/**
 * The sequence number in a cursor issued for `tenantId`, or a `validation_failed` error.
 * `latest` is the tenant's newest sequence number: no cursor issued for it can point past it.
 */
export function decodeHistoryCursor(tenantId: string, cursor: unknown, latest: number): number {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw invalidCursor();
  }
  const match = PAYLOAD.exec(fromBase64Url(cursor) ?? '');
  const sequence = Number(match?.[1]);
  if (
    match === null ||
    !Number.isSafeInteger(sequence) ||
    sequence > latest ||
    match[2] !== checkValue(tenantId, sequence) ||
    // One spelling per cursor: no alternative encodings of the same position.
    encodeHistoryCursor(tenantId, sequence) !== cursor
  ) {
    throw invalidCursor();
  }
  return sequence;
}
