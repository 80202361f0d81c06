// JSON text inside a request or an answer (tool-call arguments, tool results) is redacted as the
// data it encodes: a key after an escaped newline (`"…\nsk-…"`) reads as `nsk-…` to a text
// scan, which then misses it.
import type { Redactor } from '../logging';
import type { ProviderMessage, ProviderToolCall } from '../providers';

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * When `text` is JSON whose decoded values hold something to redact: the redacted values,
 * re-encoded (compact JSON, then redacted as text too). Otherwise `undefined`.
 */
export function redactJsonValues(text: string, redactor: Redactor): string | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof decoded !== 'string' && (decoded === null || typeof decoded !== 'object')) return undefined;
  const redacted = redactor.redactValue(decoded);
  return same(redacted, decoded) ? undefined : redactor.redactString(JSON.stringify(redacted));
}

/**
 * `text` redacted as text, or, when it is JSON whose values hold a secret, as those values (see
 * {@link redactJsonValues}). Idempotent, so a replayed call's arguments key as the recorded ones.
 */
export function redactJsonText(text: string, redactor: Redactor): string {
  return redactJsonValues(text, redactor) ?? redactor.redactString(text);
}

/** A tool call with its arguments redacted as JSON. */
export function redactToolCall(toolCall: ProviderToolCall, redactor: Redactor): ProviderToolCall {
  return {
    id: redactor.redactString(toolCall.id),
    name: redactor.redactString(toolCall.name),
    argsText: redactJsonText(toolCall.argsText, redactor),
  };
}

/** A message with its tool calls' arguments and a tool result's content redacted as JSON (the rest is left to redactValue). */
export function redactMessageJson(message: ProviderMessage, redactor: Redactor): ProviderMessage {
  if (message.role === 'tool') return { ...message, content: redactJsonText(message.content, redactor) };
  if ('toolCalls' in message) {
    return { ...message, toolCalls: message.toolCalls.map((call) => redactToolCall(call, redactor)) };
  }
  return message;
}
