/** How errors name the server and what they tell an operator to check on a rejected key. */
export interface ServerLabel {
  /** `OpenAI`, `Anthropic`, or the host of a compatible server (`api.groq.com`), or the configured name. */
  name: string;
  /** What to check when the credentials are rejected (which environment variable or option). */
  authHint: string;
}

/** What {@link serverLabel} needs to name a provider's server. */
export interface ServerLabelOptions {
  /** The name the host configured (`openaiProvider({ name })`); wins when set. */
  name?: string | undefined;
  /** The base URL requests go to. */
  baseURL?: string | undefined;
  /** The vendor's own base URL, for which the vendor's name is used. */
  defaultBaseURL: string;
  /** `OpenAI` or `Anthropic`. */
  vendor: string;
  /** The auth hint for the vendor's own API. */
  vendorAuthHint: string;
  /** The auth hint for any other server. */
  otherAuthHint: string;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    // `host` never includes credentials, a path or a query.
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * How errors name the server: the configured name, else the vendor for its own API, else the
 * base URL's host (`api.groq.com`, `openrouter.ai`, `127.0.0.1:11434`), so an error from a
 * compatible server never reads as if OpenAI or Anthropic had sent it.
 */
export function serverLabel(options: ServerLabelOptions): ServerLabel {
  const configured = options.name?.trim();
  const host = hostOf(options.baseURL);
  const own = host === undefined || host === hostOf(options.defaultBaseURL);
  const name = configured || (own ? options.vendor : host);
  return { name, authHint: own && !configured ? options.vendorAuthHint : options.otherAuthHint };
}
