import type { ProviderAdapter } from '../providers';

/** The provider specification versions this version of Agentry runs. */
export const SUPPORTED_SPECIFICATION_VERSIONS: readonly string[] = ['v1'];

/**
 * Throws a `TypeError` saying what is wrong, with which provider key, and what to do, when
 * `provider` is not an adapter this executor can run.
 */
export function checkProviderSpecification(key: string, provider: ProviderAdapter): void {
  if (typeof provider?.execute !== 'function') {
    throw new TypeError(`createExecutor: providers.${key} is not a provider (it needs an execute() method).`);
  }
  const version: unknown = (provider as { specificationVersion?: unknown }).specificationVersion;
  if (version === undefined) {
    throw new TypeError(
      `createExecutor: providers.${key} has no specificationVersion. Adapters declare the provider specification they implement: add specificationVersion: 'v1' to it (docs/providers.md describes v1).`,
    );
  }
  if (!SUPPORTED_SPECIFICATION_VERSIONS.includes(version as string)) {
    throw new TypeError(
      `createExecutor: providers.${key} implements provider specification ${JSON.stringify(version)}, which this version of @agentry/core does not run (it runs ${SUPPORTED_SPECIFICATION_VERSIONS.map((v) => `'${v}'`).join(', ')}). Use an adapter built for 'v1', or upgrade @agentry/core.`,
    );
  }
}
