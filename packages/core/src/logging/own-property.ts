/**
 * Sets `key` on `target` as its own data property, also when the key is `__proto__`: valid in
 * JSON, and what `JSON.parse` gives as an own key. Assigning that key would set the object's
 * prototype instead: the key would be lost, and the value's fields readable through the copy.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
