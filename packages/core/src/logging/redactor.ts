// The redactor's interfaces, apart from their implementations (`redact.ts`, `stream-redactor.ts`),
// which each need the other's type.
import type { Secret } from './secret';

/** Removes credentials from strings and structured values. */
export interface Redactor {
  /** The string with every API-key shape and configured secret replaced by `[REDACTED]`. */
  redactString(value: string): string;
  /** A deep copy with every string redacted and sensitive keys' values replaced. Errors become plain objects. */
  redactValue<T>(value: T): T;
  /** Adds exact values to redact (configured keys). */
  addSecrets(secrets: Iterable<string | Secret>): void;
  /**
   * A {@link StreamRedactor} for text that arrives in chunks. Optional for redactors you write
   * yourself; `createStreamRedactor` then holds the whole text until it ends.
   */
  createStream?(): StreamRedactor;
}

/**
 * Redacts text that arrives in pieces (a model's output deltas) as one text: a secret split
 * across chunks is redacted as if it had arrived whole, and no released prefix ever shows it.
 *
 * For any chunking of a text, the concatenation of everything `push` and `flush` return equals
 * `redactor.redactString(text)`.
 */
export interface StreamRedactor {
  /** Takes the next chunk; returns the redacted text that is safe to release now (maybe `''`). */
  push(chunk: string): string;
  /** The text has ended: returns the rest, redacted. The stream can then be used for a new text. */
  flush(): string;
  /**
   * Input characters received but neither released nor redacted yet: the tail that could
   * still be the start of a secret. At most the redactor's look-behind bound (see docs/security.md).
   */
  readonly held: number;
}
