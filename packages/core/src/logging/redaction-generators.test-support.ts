// The redaction generators of the property tests (fast-check): credential shapes and configured
// secrets among near-miss filler, each secret carrying a marker that must never reach an output.
// Shared by the stream redactor's properties and by every test that checks secrets never leave
// (tapes, logs).
import fc from 'fast-check';

// Every generated secret carries this marker somewhere in its secret part, and the filler
// never does: if it shows in an output, part of a secret leaked.
export const MARK = 'Q7';

/** Text around the secrets: near misses of every shape, delimiters, and plain words. */
export const FRAGMENTS = [
  ' ',
  '\n',
  ': ',
  '=',
  '"',
  "'",
  ',',
  '.',
  '-',
  '_',
  '/',
  '@',
  'sk-',
  'sk_live_',
  'task_test_',
  'Bearer ',
  'bearer\t',
  'Basic ',
  'authorization: ',
  'Authorization: Bearer ',
  '"api_key": "',
  'x-api-key=',
  'eyJ',
  'eyJhbGciOiJIUzI1NiJ9.',
  '.ey',
  'AKIA',
  'ASIA',
  'A3T',
  'aws_secret_access_key = ',
  'ghp_',
  'github_pat_',
  'xoxb-',
  'xapp-1-',
  'AIza',
  'https://',
  'postgres://user:',
  '-----BEGIN ',
  '-----BEGIN RSA PRIVATE KEY-----\n',
  '-----END PRIVATE KEY-----',
  'PRIVATE KEY',
  '[REDACTED]',
  'the basic idea',
  'they key',
];
export const fillerChar = fc.constantFrom(...'abcdefxyzJ ABCDEFXYZ:=-_./@,"\'\n'.split(''));
export const filler = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: fillerChar, maxLength: 6 })), {
  maxLength: 6,
});

/** A random string over `chars` of a length in [min, max], with the marker inside. */
export function marked(chars: string, min: number, max: number = min): fc.Arbitrary<string> {
  return fc
    .tuple(fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: min, maxLength: max }), fc.nat())
    .map(([body, at]) => {
      const length = Math.max(body.length, min);
      const padded = body.padEnd(length, chars.charAt(0));
      const index = at % (padded.length - 1);
      return padded.slice(0, index) + MARK + padded.slice(index + MARK.length);
    });
}
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const AWS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const BASE64URL = `${ALNUM}_-`;

/** One credential of each built-in shape (the marker inside its secret part). */
export const shaped: fc.Arbitrary<string> = fc.oneof(
  marked(BASE64URL, 8, 60).map((body) => `sk-${body}`),
  marked(BASE64URL, 8, 60).map((body) => `sk-proj-${body}`),
  fc.tuple(fc.constantFrom('AKIA', 'ASIA', 'ABIA', 'ACCA'), marked(AWS, 16)).map(([prefix, body]) => prefix + body),
  fc
    .tuple(marked(AWS, 16), fc.constantFrom(',', ', ', '\t', '":"'), marked(`${ALNUM}/+`, 40))
    .map(([id, separator, secret]) => `AKIA${id}${separator}${secret}`),
  marked(`${ALNUM}/+`, 40).map((secret) => `aws_secret_access_key = ${secret}`),
  fc.tuple(fc.constantFrom('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'), marked(ALNUM, 36, 40)).map(([p, b]) => p + b),
  marked(`${ALNUM}_`, 82).map((body) => `github_pat_${body}`),
  fc.tuple(fc.constantFrom('b', 'p', 'a', 'r', 's'), marked(ALNUM, 8, 30)).map(([kind, body]) => `xox${kind}-${body}`),
  marked(ALNUM, 8, 40).map((body) => `xapp-1-${body}`),
  fc
    .tuple(fc.constantFrom('sk', 'rk'), fc.constantFrom('live', 'test'), marked(ALNUM, 10, 40))
    .map(([kind, mode, body]) => `${kind}_${mode}_${body}`),
  marked(BASE64URL, 35).map((body) => `AIza${body}`),
  fc
    .tuple(marked(BASE64URL, 17, 40), marked(BASE64URL, 1, 40), marked(BASE64URL, 0 + 2, 40))
    .map(([header, payload, signature]) => `ey${header}.ey${payload}.${signature}`),
  marked(`${ALNUM}+/`, 20, 80).map((body) => `-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----`),
  marked(`${ALNUM}._~+/=-`, 8, 40).map((token) => `Bearer ${token}`),
  marked(`${ALNUM}+/`, 8, 40).map((token) => `Basic ${token}=`),
  fc
    .tuple(fc.constantFrom('authorization: ', 'Authorization: Bearer ', '"x-api-key": "'), marked(ALNUM, 1, 30))
    .map(([label, value]) => `${label}${value}`),
  marked(ALNUM, 3, 20).map((password) => `postgres://admin:${password}@db.internal:5432/app`),
);

/** Configured secrets: any characters but the redaction mark's brackets. */
export const configured = fc.uniqueArray(marked(`${ALNUM} :=-_./@"`, 6, 24), { maxLength: 3 });

export interface Document {
  text: string;
  secrets: string[];
  configured: string[];
}
/** Secrets among filler, each with a separator on both sides (a shape glued to a word is another word). */
export function documentsWith(separators: readonly string[]): fc.Arbitrary<Document> {
  return configured.chain((values) =>
    fc
      .array(
        fc.tuple(
          filler,
          values.length === 0 ? shaped : fc.oneof(shaped, fc.constantFrom(...values)),
          filler,
          fc.constantFrom(...separators),
        ),
        { maxLength: 5 },
      )
      .map((parts) => {
        const secrets: string[] = [];
        let text = '';
        for (const [before, secret, after, separator] of parts) {
          text += `${before.join('')}${separator}${secret}${separator}${after.join('')}`;
          secrets.push(secret);
        }
        return { text, secrets, configured: values };
      }),
  );
}
export const documents = documentsWith([' ', '\n']);
/**
 * Secrets on lines of their own. On a shared line, a two-word credential (`Basic dXNl…`)
 * right after an unfinished label (`Authorization: Bearer `) loses its first word to the
 * label's value and its second word is left (see docs/security.md).
 */
export const lineDocuments = documentsWith(['\n']);

/** Cuts `text` at the given points (any numbers: taken modulo its length). */
export function chunk(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => (text.length === 0 ? 0 : cut % (text.length + 1))))].sort(
    (a, b) => a - b,
  );
  const chunks: string[] = [];
  let previous = 0;
  for (const point of [...points, text.length]) {
    chunks.push(text.slice(previous, point));
    previous = point;
  }
  return chunks;
}

/** Cut points for `chunk`. */
export const cuts = fc.array(fc.nat(), { maxLength: 40 });
