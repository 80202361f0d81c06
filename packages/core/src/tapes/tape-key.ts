// The canonical key of a request: which recorded call answers it.

import type { Redactor } from '../logging';
import { setOwn } from '../logging/own-property';
import type { ProviderMessage, ProviderRequest } from '../providers';
import { canonicalFieldsJson, canonicalJson } from './canonical-json';
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

/** The provider options a tape keeps: all but the executor's `mock` (the agent's mock behaviour, functions: a live call ignores it). */
function keptProviderOptions(options: ProviderRequest['providerOptions']): Record<string, unknown> | undefined {
  if (options === undefined || options === null) return undefined;
  let kept: Record<string, unknown> | undefined;
  for (const name in options) {
    if (!Object.hasOwn(options, name)) continue;
    const value = options[name];
    if (name === 'mock' || value === undefined) continue;
    kept ??= {};
    setOwn(kept, name, value);
  }
  return kept;
}

/** A request's messages with tool-call arguments and tool results redacted as JSON (see redactMessageJson). */
function tapeMessages(request: ProviderRequest, redactor: Redactor): ProviderMessage[] {
  return request.messages.map((message) => redactMessageJson(message, redactor));
}

/**
 * What a tape keeps of a request, redacted with `redactor` (the same one as the logs: configured
 * secrets and key shapes, in every string of the request, bodies included).
 */
export function toTapeRequest(request: ProviderRequest, redactor: Redactor): TapeRequest {
  const out: TapeRequest = {
    agentId: request.agentId,
    model: request.model,
    messages: tapeMessages(request, redactor),
  };
  if (request.input !== undefined) out.input = request.input;
  if (request.tools !== undefined) out.tools = request.tools;
  if (request.outputSchema !== undefined) out.outputSchema = request.outputSchema;
  if (request.maxOutputTokens !== undefined) out.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) out.temperature = request.temperature;
  if (request.seed !== undefined) out.seed = request.seed;
  const providerOptions = keptProviderOptions(request.providerOptions);
  if (providerOptions !== undefined) out.providerOptions = providerOptions;
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
  const picked: Record<string, unknown> = {};
  for (const field of keyFields) picked[field] = request[field];
  return canonicalJson(picked);
}

/**
 * `keyText(toTapeRequest(request, redactor), keyFields)` in one pass, without the redacted copy:
 * a replayed call needs the key, and the copy only when the tape has no match.
 */
export function requestKeyText(
  request: ProviderRequest,
  redactor: Redactor,
  keyFields: readonly TapeKeyField[],
): string {
  return canonicalFieldsJson(
    sortedKeyFields(keyFields),
    (field) => (field === 'messages' ? tapeMessages(request, redactor) : keyFieldValue(request, field as TapeKeyField)),
    redactor,
  );
}

/** A key field's value as the key is written from it (before redaction): the provider options without `mock`. */
export function keyFieldValue(request: ProviderRequest, field: TapeKeyField): unknown {
  return field === 'providerOptions' ? keptProviderOptions(request.providerOptions) : request[field];
}

/**
 * {@link requestKeyText} without redaction: equal to it exactly when redaction changes nothing in
 * the request's key (request-key-memo.ts remembers only such requests).
 */
export function unredactedKeyText(request: ProviderRequest, keyFields: readonly TapeKeyField[]): string {
  return canonicalFieldsJson(sortedKeyFields(keyFields), (field) => keyFieldValue(request, field as TapeKeyField));
}

const DEFAULT_IN_ORDER: readonly TapeKeyField[] = [...DEFAULT_TAPE_KEY_FIELDS].sort();

/** The fields in code-unit order (as the canonical text writes them): the default's sorted once. */
export function sortedKeyFields(keyFields: readonly TapeKeyField[]): readonly TapeKeyField[] {
  if (keyFields === DEFAULT_TAPE_KEY_FIELDS) return DEFAULT_IN_ORDER;
  for (let index = 1; index < keyFields.length; index += 1) {
    if ((keyFields[index - 1] as string) > (keyFields[index] as string)) return [...keyFields].sort();
  }
  return keyFields;
}

type HashText = (algorithm: string, text: string, encoding: 'hex') => string;
/**
 * Node's one-shot hash when it can be had synchronously (`process.getBuiltinModule`, Node ≥
 * 20.16): no thread-pool round trip per call, and a replay whose only waits are timers stays on
 * fake time. Elsewhere (browsers, edge runtimes) Web Crypto.
 */
const hashText = (() => {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  const crypto = processLike?.getBuiltinModule?.('node:crypto') as { hash?: HashText } | undefined;
  return crypto?.hash;
})();

/** `sha256:` + the SHA-256 of a key text, in hex. */
export async function digestKeyText(text: string): Promise<string> {
  if (hashText) return `sha256:${hashText('sha256', text, 'hex')}`;
  return `sha256:${hex(await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text)))}`;
}

/** `sha256:` + the SHA-256 of {@link keyText}, in hex. Linear in the size of the request. */
export function tapeKey(request: TapeRequest, keyFields: readonly TapeKeyField[]): Promise<string> {
  return digestKeyText(keyText(request, keyFields));
}
