/**
 * The credential shapes every redactor knows, whoever configured them.
 *
 * Each shape is a short sequence of pieces (a literal, or a run of one character class with
 * a bounded length) instead of a free regex, so that the streaming redactor can also ask
 * "could the text end in the *start* of this shape?" (see `matcher.ts`). The shapes follow
 * well-kept public rule sets; each cites its sources: gitleaks `config/gitleaks.toml` rule ids
 * (gitleaks v8, 2026) and detect-secrets plugin names. The regexes are our own, and more
 * conservative where a redactor can afford it (a token longer than the rule's length is still
 * redacted to its end).
 */

/** A literal (one of several spellings), or a run of one character class. */
export type Piece =
  | {
      /** Alternatives, tried in order (put a longer spelling before its own prefix). */
      readonly literal: readonly string[];
      readonly ignoreCase?: boolean;
      /** Kept in the output (a header name, a separator); otherwise part of the secret. */
      readonly keep?: boolean;
    }
  | {
      /** The inside of a regex character class, e.g. `A-Za-z0-9_-` or `^\s/@`. */
      readonly chars: string;
      readonly min: number;
      readonly max: number;
      readonly keep?: boolean;
    };

/** One credential shape. */
export interface Shape {
  /** Our name for it (used in tests and docs). */
  readonly id: string;
  /** Where the shape comes from: rule ids in gitleaks / detect-secrets. */
  readonly source: string;
  /** The shape does not start right after one of these characters (a class body). */
  readonly notAfter?: string;
  readonly pieces: readonly Piece[];
  /** The secret goes on over these characters, however many (a class body). */
  readonly tail?: string;
  /** The secret goes on until this sequence (included), or to the end of the text. */
  readonly until?: readonly Piece[];
  /** The shape does not end right before one of these characters (only without tail/until). */
  readonly notBefore?: string;
}

const literal = (values: string | readonly string[], options: { ignoreCase?: boolean; keep?: boolean } = {}) =>
  ({ literal: typeof values === 'string' ? [values] : values, ...options }) satisfies Piece;
const run = (chars: string, min: number, max: number = min, keep?: boolean) =>
  ({ chars, min, max, ...(keep ? { keep } : {}) }) satisfies Piece;

/** An optional quote, escaped or not (never a backslash alone: `\n` starts a line, not a value). */
const QUOTE = literal(['\\"', "\\'", '"', "'", ''], { keep: true });

/** `name: value`, `name=value`, `"name": "value"`: the name and separator are kept. */
function labelled(names: readonly string[]): Piece[] {
  return [
    literal(names, { ignoreCase: true, keep: true }),
    // A quote may be escaped (`\"api_key\": \"…` in JSON text holding JSON).
    QUOTE,
    run(' \\t', 0, 8, true),
    run(':=', 1, 1, true),
    run(' \\t', 0, 8, true),
    QUOTE,
  ];
}

const HEADER_NAMES = ['authorization', 'api-key', 'api_key', 'apikey'];
/** A header or parameter value: up to whitespace, a quote, a JSON/list delimiter, `)`, `<` or a backslash (an escaped quote). */
const VALUE = `^\\s"',;})<\\\\`;
/** A value's first character: not `[`, so that a redacted value (`api_key=[REDACTED]=`) stays as it is. */
const VALUE_START = `^\\s"',;})<\\[\\\\`;
const AWS_KEY_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA'];
const AWS_SECRET = 'A-Za-z0-9/+=';
const BASE64URL = 'A-Za-z0-9_-';
const TOKEN_BOUNDARY = 'A-Za-z0-9_-';
const PEM_LABEL = [
  run(' A-Za-z0-9_', 0, 100),
  literal('PRIVATE KEY', { ignoreCase: true }),
  literal([' BLOCK', ''], { ignoreCase: true }),
  literal('-----'),
];

/** An access key id alone, and with its secret right after it (`AKIA…,wJalr…` in a credentials CSV). */
function awsAccessKeyShapes(head: Piece[]): Shape[] {
  const keyId = [...head, run('A-Z2-7', 16)];
  return [
    {
      id: 'aws-access-key-id-with-secret',
      source: 'gitleaks aws-access-token + aws-secret-access-key; detect-secrets AWSKeyDetector',
      notAfter: 'A-Za-z0-9_',
      // In JSON text the separator is escaped: `AKIA…\":\"wJalr…`, `AKIA…\twJalr…` (a tab).
      pieces: [...keyId, run('\\s,;:|"\'`\\\\', 1, 8, true), run('tnr', 0, 1, true), run(AWS_SECRET, 40)],
      notBefore: AWS_SECRET,
    },
    {
      id: 'aws-access-key-id',
      source: 'gitleaks aws-access-token; detect-secrets AWSKeyDetector',
      notAfter: 'A-Za-z0-9_',
      pieces: keyId,
      notBefore: 'A-Za-z0-9_',
    },
  ];
}

/** Longest JWT header segment before the stream stops waiting for its `.` and redacts anyway. */
export const JWT_SEGMENT_MAX = 1024;

/** In priority order: at one position, the first shape that matches wins. */
export const SHAPES: readonly Shape[] = [
  {
    id: 'private-key',
    source: 'gitleaks private-key',
    pieces: [literal('-----BEGIN', { ignoreCase: true }), ...PEM_LABEL],
    until: [literal('-----END', { ignoreCase: true }), ...PEM_LABEL],
  },
  {
    id: 'authorization-header-with-scheme',
    source: 'gitleaks curl-auth-header; detect-secrets KeywordDetector',
    pieces: [
      ...labelled(HEADER_NAMES),
      literal(['Bearer', 'Basic', 'Token'], { ignoreCase: true }),
      run(' \\t', 1, 8),
      run(VALUE_START, 1),
    ],
    tail: VALUE,
  },
  {
    id: 'authorization-header',
    source: 'gitleaks curl-auth-header; detect-secrets KeywordDetector',
    pieces: [...labelled(HEADER_NAMES), run(VALUE_START, 1)],
    tail: VALUE,
  },
  {
    // From the `://` on: the scheme before it is ordinary text (scanned like any other, so a
    // "scheme" that is itself a key is still redacted), and no trailing word has to wait.
    id: 'url-credentials',
    source: 'detect-secrets BasicAuthDetector; gitleaks generic (user:password@host)',
    pieces: [
      literal('://', { keep: true }),
      run('^\\s/@:', 1, 256),
      literal(':'),
      // Not `[`: a redaction mark is not a password (`x://user:[REDACTED]@` stays as it is).
      run('^\\s/@\\[', 1),
      run('^\\s/@', 0, 255),
      literal('@', { keep: true }),
    ],
  },
  {
    id: 'aws-secret-access-key-labelled',
    source: 'gitleaks aws-secret-access-key; detect-secrets AWSKeyDetector',
    pieces: [
      ...labelled([
        'aws_secret_access_key',
        'aws-secret-access-key',
        'secret_access_key',
        'secretaccesskey',
        'aws_secret_key',
        'secret_key',
        'secret',
      ]),
      run(AWS_SECRET, 40),
    ],
    notBefore: AWS_SECRET,
  },
  ...awsAccessKeyShapes([literal(AWS_KEY_PREFIXES)]),
  ...awsAccessKeyShapes([literal('A3T'), run('A-Z0-9', 1)]),
  {
    id: 'github-token',
    source: 'gitleaks github-pat, github-oauth, github-app-token, github-refresh-token',
    notAfter: 'A-Za-z0-9',
    pieces: [literal(['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']), run('A-Za-z0-9', 36)],
    tail: 'A-Za-z0-9',
  },
  {
    id: 'github-fine-grained-pat',
    source: 'gitleaks github-fine-grained-pat',
    notAfter: 'A-Za-z0-9',
    pieces: [literal('github_pat_'), run('A-Za-z0-9_', 82)],
    tail: 'A-Za-z0-9_',
  },
  {
    id: 'slack-token',
    source:
      'gitleaks slack-bot-token, slack-user-token, slack-legacy-token, slack-legacy-bot-token, slack-legacy-workspace-token; detect-secrets SlackDetector',
    notAfter: 'A-Za-z0-9',
    pieces: [literal('xox'), run('abeoprs', 1), literal('-'), run('A-Za-z0-9', 8)],
    tail: 'A-Za-z0-9-',
  },
  {
    id: 'slack-app-or-config-token',
    source: 'gitleaks slack-app-token, slack-config-access-token, slack-config-refresh-token',
    notAfter: 'A-Za-z0-9',
    pieces: [
      literal(['xoxe.xoxb-', 'xoxe.xoxp-', 'xoxe-', 'xoxa-', 'xoxr-', 'xapp-'], { ignoreCase: true }),
      run('0-9', 1),
      literal('-'),
      run('A-Za-z0-9', 8),
    ],
    tail: 'A-Za-z0-9-',
  },
  {
    id: 'stripe-key',
    source: 'gitleaks stripe-access-token (sk_/rk_ in live, test and prod)',
    notAfter: TOKEN_BOUNDARY,
    pieces: [literal(['sk_', 'rk_']), literal(['live_', 'test_', 'prod_']), run('A-Za-z0-9', 10)],
    tail: 'A-Za-z0-9',
  },
  {
    id: 'google-api-key',
    source: 'gitleaks gcp-api-key',
    notAfter: TOKEN_BOUNDARY,
    pieces: [literal('AIza'), run(BASE64URL, 35)],
    notBefore: TOKEN_BOUNDARY,
  },
  {
    // Committed once the payload starts (`.ey`): the rest of the token is redacted however long.
    id: 'jwt',
    source: 'gitleaks jwt',
    notAfter: TOKEN_BOUNDARY,
    pieces: [literal('ey'), run(BASE64URL, 17, JWT_SEGMENT_MAX), literal('.ey')],
    tail: 'A-Za-z0-9_.=/+-',
  },
  {
    // A header segment longer than the stream waits for: redacted conservatively, never released.
    id: 'jwt-overlong-header',
    source: 'gitleaks jwt (bounded look-behind)',
    notAfter: TOKEN_BOUNDARY,
    pieces: [literal('ey'), run(BASE64URL, JWT_SEGMENT_MAX + 1)],
    tail: 'A-Za-z0-9_.=/+-',
  },
  {
    id: 'openai-or-anthropic-key',
    source: 'gitleaks openai-api-key, anthropic-api-key, anthropic-admin-api-key (any sk- key)',
    notAfter: TOKEN_BOUNDARY,
    pieces: [literal('sk-'), run('A-Za-z0-9_-', 8)],
    tail: 'A-Za-z0-9_-',
  },
  {
    id: 'bearer-credential',
    source: 'gitleaks curl-auth-header (Bearer value)',
    notAfter: TOKEN_BOUNDARY,
    pieces: [literal('Bearer', { ignoreCase: true, keep: true }), run(' \\t', 1, 8, true), run('A-Za-z0-9._~+/=-', 8)],
    tail: 'A-Za-z0-9._~+/=-',
  },
  {
    id: 'basic-credential',
    source: 'gitleaks curl-auth-header (Basic value)',
    notAfter: TOKEN_BOUNDARY,
    pieces: [literal('Basic', { ignoreCase: true, keep: true }), run(' \\t', 1, 8, true), run('A-Za-z0-9+/', 8)],
    tail: 'A-Za-z0-9+/=',
  },
];
