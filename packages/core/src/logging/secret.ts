const REDACTED = '[REDACTED]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const SECRET_MARKER = Symbol.for('agentry.secret');

/**
 * Holds a secret (an API key) so that printing, logging or serializing it shows `[REDACTED]`.
 * Only {@link Secret.reveal} returns the value, at the one place that sends it.
 */
export class Secret {
  readonly [SECRET_MARKER] = true;
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret's value. Call it only where the value is sent to its owner. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return REDACTED;
  }
}

/** True for a {@link Secret}, including one from another copy of this package. */
export function isSecret(value: unknown): value is Secret {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SECRET_MARKER] === true;
}

/** Wraps a string in a {@link Secret}; passes a Secret through; `undefined` and `''` stay `undefined`. */
export function toSecret(value: string | Secret | undefined | null): Secret | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return isSecret(value) ? value : new Secret(value);
}
