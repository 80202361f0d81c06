/**
 * An environment variable, or `undefined` when unset or empty. Reached through `globalThis`
 * so code that calls it still loads where there is no `process` (edge runtimes, browsers).
 */
export function readEnvironment(name: string): string | undefined {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = processLike?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}
