/**
 * The connection URL as it may be shown: the password replaced by `***`. A URL that does not
 * parse is not shown at all (it may still hold the password).
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    parsed.searchParams.forEach((_value, key) => {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, '***');
    });
    return parsed.toString();
  } catch {
    return '(a URL that does not parse)';
  }
}

/** The secrets of a connection URL: its password (as written and decoded) and secret-looking query values. */
function secretsOf(url: string): string[] {
  const secrets: string[] = [];
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      secrets.push(parsed.password);
      try {
        secrets.push(decodeURIComponent(parsed.password));
      } catch {
        // A malformed escape: the raw form above is still scrubbed.
      }
    }
    parsed.searchParams.forEach((value, key) => {
      if (/pass|secret|key|token/i.test(key) && value !== '') secrets.push(value);
    });
  } catch {
    // Not a URL: scrub a `user:password@` shape by pattern below.
  }
  return secrets.filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with the URL's secrets, and anything shaped like `scheme://user:password@`, replaced by `***`. */
export function scrubUrlSecrets(text: string, url: string | undefined): string {
  let scrubbed = text;
  if (url !== undefined) {
    for (const secret of secretsOf(url)) {
      // A very short password (a letter or two) is scrubbed where it stands alone, not inside
      // every word that holds it ("agentry" for the password "y").
      scrubbed =
        secret.length >= 4
          ? scrubbed.replaceAll(secret, '***')
          : scrubbed.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(secret)}(?![\\p{L}\\p{N}])`, 'gu'), '***');
    }
  }
  return scrubbed.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@\s]*@/gi, '$1***@');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
