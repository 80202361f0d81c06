import { type CredentialSource, UsageError } from './arguments';

/** A credential read from its source: the headers to send, and the raw value (to hide from all output). */
export interface Credential {
  headers: Record<string, string>;
  /** The values themselves (a cookie's whole line and each cookie's value): only for the redactor and the secret scan, never printed. */
  secrets: string[];
  /** Where it came from, safe to print: `env:STAGING_TOKEN_A`, `file:./a.txt`. */
  label: string;
}

/** What reading a credential needs from the outside world. */
export interface CredentialIo {
  env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
}

/** Reads a credential from its env var or file. Errors name the source, never the value. */
export async function readCredential(source: CredentialSource, io: CredentialIo): Promise<Credential> {
  const label = `${source.from}:${source.name}`;
  let raw: string | undefined;
  if (source.from === 'env') {
    raw = io.env[source.name];
    if (raw === undefined) {
      throw new UsageError(`${source.flag} ${label}: the environment variable ${source.name} is not set.`);
    }
  } else {
    try {
      raw = await io.readFile(source.name);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new UsageError(
        `${source.flag} ${label}: the file cannot be read (${typeof code === 'string' ? code : 'error'}). Check the path.`,
      );
    }
  }
  const value = raw.trim();
  if (value === '') throw new UsageError(`${source.flag} ${label} is empty.`);
  if (/[\r\n]/.test(value)) {
    throw new UsageError(`${source.flag} ${label} holds more than one line: put one credential in it.`);
  }
  switch (source.kind) {
    case 'bearer': {
      const token = value.replace(/^bearer\s+/i, '');
      return { headers: { authorization: `Bearer ${token}` }, secrets: [token], label };
    }
    case 'cookie': {
      const cookie = value.replace(/^cookie:\s*/i, '');
      const values = cookie.split(';').map((part) => part.slice(part.indexOf('=') + 1).trim());
      return { headers: { cookie }, secrets: [cookie, ...values.filter((part) => part.length >= 6)], label };
    }
    case 'header': {
      const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.+)$/.exec(value);
      if (!match) {
        throw new UsageError(`${source.flag} header:${label} must hold one "Name: value" line, e.g. "X-Api-Key: …".`);
      }
      const secret = match[2] as string;
      return { headers: { [(match[1] as string).toLowerCase()]: secret }, secrets: [secret], label };
    }
    default:
      return source.kind satisfies never;
  }
}
