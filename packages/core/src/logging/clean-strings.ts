// Strings a redactor found clean, so it need not scan them again (redact.ts): a string cannot
// change, and the verdict changes only when the redactor learns new secrets, which forgets them
// all. Only clean strings are kept, so a secret is never held here. Bounded: strings shorter
// than `minLength` (a scan costs about what a lookup does) or longer than `maxLength` are not
// kept, and once the kept ones would pass `maxChars` characters in all they are forgotten
// together (a mix of many different strings keeps the scan's cost, plus a lookup).

export class CleanStrings {
  readonly #strings = new Set<string>();
  #chars = 0;

  constructor(
    readonly minLength: number,
    readonly maxLength: number,
    readonly maxChars: number,
  ) {}

  /** The characters kept in all. */
  get chars(): number {
    return this.#chars;
  }

  /** Whether `text` was kept (always false for a length that is never kept). */
  has(text: string): boolean {
    return text.length >= this.minLength && this.#strings.has(text);
  }

  /** Keeps `text`, found clean, if its length is one that is kept. */
  add(text: string): void {
    const { length } = text;
    if (length < this.minLength || length > this.maxLength || this.#strings.has(text)) return;
    if (this.#chars + length > this.maxChars) this.clear();
    this.#strings.add(text);
    this.#chars += length;
  }

  clear(): void {
    this.#strings.clear();
    this.#chars = 0;
  }
}
