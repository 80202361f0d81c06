import type { JwtTenantResolverOptions } from '../resolver-options';

/** The options every preset passes through to {@link jwtTenantResolver} unchanged. */
export type PresetSharedOptions = Pick<
  JwtTenantResolverOptions,
  'clockToleranceSec' | 'maxTokenAgeSec' | 'maxTokenBytes' | 'jwksFetch' | 'logger' | 'from'
>;

/** The shared options that were given (an `undefined` field stays out, so defaults apply). */
export function sharedOptions(options: PresetSharedOptions): PresetSharedOptions {
  const out: PresetSharedOptions = {};
  for (const key of ['clockToleranceSec', 'maxTokenAgeSec', 'maxTokenBytes', 'jwksFetch', 'logger', 'from'] as const) {
    if (options[key] !== undefined) Object.assign(out, { [key]: options[key] });
  }
  return out;
}

/** `https://host` from a URL option, or a `TypeError` naming the preset and option. */
export function httpsOrigin(value: unknown, option: string, example: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TypeError(`${option} must be a URL such as ${example} (got ${JSON.stringify(value)}).`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TypeError(`${option} must use https, such as ${example} (got ${JSON.stringify(value)}).`);
  }
  return url.origin;
}
