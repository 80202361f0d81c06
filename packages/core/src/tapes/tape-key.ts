// The canonical key of a request: which recorded call answers it.
import type { Redactor } from '../logging';
import type { ProviderRequest } from '../providers';
import { canonicalJsonParts } from './canonical-json';
import { redactMessageJson } from './redact-json-text';
import type { TapeKeyField, TapeRequest } from './tape-types';

/**
 * The request fields a tape key covers by default: everything the model call depends on. Left
 * out: `executionId` and `attempt` (different on every run), and `seed` (live models are not
 * reproducible by seed; add it to `keyFields` if yours is).
 */
export const DEFAULT_TAPE_KEY_FIELDS: readonly TapeKeyField[] = Object.freeze([
  'agentId',
  'model',
  'messages',
  'input',
  'tools',
  'outputSchema',
  'maxOutputTokens',
  'temperature',
  'providerOptions',
]);

const ALL_FIELDS: readonly TapeKeyField[] = [...DEFAULT_TAPE_KEY_FIELDS, 'seed'];

/** Checks a `keyFields` option: known field names, at least one. */
export function checkKeyFields(keyFields: readonly TapeKeyField[] | undefined, where: string): readonly TapeKeyField[] {
  if (keyFields === undefined) return DEFAULT_TAPE_KEY_FIELDS;
  if (!Array.isArray(keyFields) || keyFields.length === 0) {
    throw new TypeError(`${where}: keyFields must list at least one of ${ALL_FIELDS.join(', ')}.`);
  }
  for (const field of keyFields) {
    if (!ALL_FIELDS.includes(field)) {
      throw new TypeError(`${where}: keyFields has "${String(field)}", which is not one of ${ALL_FIELDS.join(', ')}.`);
    }
  }
  return [...keyFields].sort();
}

/**
 * What a tape keeps of a request, redacted with `redactor` (the same one as the logs: configured
 * secrets and key shapes, in every string of the request, bodies included).
 */
export function toTapeRequest(request: ProviderRequest, redactor: Redactor): TapeRequest {
  const out: TapeRequest = {
    agentId: request.agentId,
    model: request.model,
    messages: request.messages.map((message) => redactMessageJson(message, redactor)),
  };
  if (request.input !== undefined) out.input = request.input;
  if (request.tools !== undefined) out.tools = request.tools;
  if (request.outputSchema !== undefined) out.outputSchema = request.outputSchema;
  if (request.maxOutputTokens !== undefined) out.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) out.temperature = request.temperature;
  if (request.seed !== undefined) out.seed = request.seed;
  // The executor's `mock` key holds the agent's mock behaviour (functions): a live call ignores it.
  const options = request.providerOptions;
  if (options !== undefined && options !== null) {
    let kept: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(options)) {
      if (name === 'mock' || value === undefined) continue;
      kept ??= {};
      kept[name] = value;
    }
    if (kept !== undefined) out.providerOptions = kept;
  }
  return redactor.redactValue(out);
}

const hex = (bytes: ArrayBuffer) => {
  let out = '';
  for (const byte of new Uint8Array(bytes)) out += byte.toString(16).padStart(2, '0');
  return out;
};
const encoder = new TextEncoder();

/** The JSON text a key is the digest of: the key fields of the (redacted) request, canonical. */
export function keyText(request: TapeRequest, keyFields: readonly TapeKeyField[]): string {
  return keyParts(request, keyFields).join('');
}

function keyParts(request: TapeRequest, keyFields: readonly TapeKeyField[]): string[] {
  const picked: Record<string, unknown> = {};
  for (const field of keyFields) picked[field] = request[field];
  return canonicalJsonParts(picked);
}

const HASH_BATCH = 16_384;

interface Hash {
  update(text: string, encoding: 'utf8'): Hash;
  digest(encoding: 'hex'): string;
}
type CreateHash = (algorithm: string) => Hash;
/**
 * Node's hash when it can be had synchronously (`process.getBuiltinModule`, Node ≥ 20.16): no
 * thread-pool round trip per call, and a replay whose only waits are timers stays on fake time.
 * Elsewhere (browsers, edge runtimes) Web Crypto.
 */
const createHash = (() => {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const crypto = processLike?.getBuiltinModule?.('node:crypto') as { createHash?: CreateHash } | undefined;
  return crypto?.createHash;
})();

/** `sha256:` + the SHA-256 of {@link keyText}, in hex. Linear in the size of the request. */
export async function tapeKey(request: TapeRequest, keyFields: readonly TapeKeyField[]): Promise<string> {
  const parts = keyParts(request, keyFields);
  if (createHash) {
    // Fed in batches of about HASH_BATCH characters: a large request is never joined into one
    // text, and a small one is one update (an update per piece — a quote, a comma — was a
    // quarter of a replayed call).
    const hash = createHash('sha256');
    let batch = '';
    for (const part of parts) {
      batch += part;
      if (batch.length >= HASH_BATCH) {
        hash.update(batch, 'utf8');
        batch = '';
      }
    }
    if (batch !== '') hash.update(batch, 'utf8');
    return `sha256:${hash.digest('hex')}`;
  }
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(parts.join('')));
  return `sha256:${hex(digest)}`;
}
