import type { ProviderAdapter } from '../providers';

/** Throws a `TypeError` saying what to fix when `provider` is not a usable adapter. */
export function checkProviderSpecification(key: string, provider: ProviderAdapter): void {
  if (typeof provider?.execute !== 'function') {
    throw new TypeError(`createExecutor: providers.${key} is not a provider (it needs an execute() method).`);
  }
}
