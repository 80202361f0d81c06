import { COMPILED } from '../../logging/compile-shapes';
import { createMatcher, type Matcher } from '../../logging/matcher';

/** One credential found in text: which shape, and the text around it with the credential itself replaced. */
export interface SecretFinding {
  /** The shape's id from `logging/shapes.ts` (gitleaks-derived), or `verify-credential` for a credential given to verify. */
  shape: string;
  /** Up to 40 characters either side, the match itself replaced by `[REDACTED]`: safe to print. */
  excerpt: string;
}

/** Finds key shapes and given exact values in text, without ever returning the values themselves. */
export interface SecretScanner {
  scan(text: string): SecretFinding[];
}

const SHAPES = createMatcher();
const CONTEXT = 40;

function shapeOf(match: RegExpExecArray): string {
  for (const compiled of COMPILED) if (match[compiled.group] !== undefined) return compiled.shape.id;
  return 'unknown-shape';
}

function excerpt(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - CONTEXT), start);
  const after = text.slice(end, end + CONTEXT);
  return `${start > CONTEXT ? '…' : ''}${before}[REDACTED]${after}${end + CONTEXT < text.length ? '…' : ''}`.replace(
    /\s+/g,
    ' ',
  );
}

function findAll(matcher: Matcher, text: string, name: (match: RegExpExecArray) => string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  if (!matcher.maybe(text)) return findings;
  let position = 0;
  let boundary = false;
  for (
    let match = matcher.firstMatch(text, 0, false);
    match !== null;
    match = matcher.firstMatch(text, position, boundary)
  ) {
    const end = match.index + match[0].length;
    // A redaction mark is what a careful server writes: not a leak.
    if (!match[0].includes('[REDACTED]'))
      findings.push({ shape: name(match), excerpt: excerpt(text, match.index, end) });
    position = Math.max(end, match.index + 1);
    boundary = true;
    if (findings.length >= 20) break;
  }
  return findings;
}

/**
 * A scanner for the built-in credential shapes (`logging/shapes.ts`, from gitleaks and
 * detect-secrets) and for the exact values verify was given (a server that echoes the caller's
 * token back leaks it too). Excerpts hide every finding, of either kind.
 */
export function createSecretScanner(exactValues: readonly string[] = []): SecretScanner {
  const values = exactValues.filter((value) => value.length >= 6);
  const exact = values.length === 0 ? undefined : createMatcher(values);
  return {
    scan(text) {
      const findings = exact === undefined ? [] : findAll(exact, text, () => 'verify-credential');
      const hidden = exact === undefined ? text : exact.redactFrom(text, 0, false);
      // An excerpt's context must not show another credential (given, or of a known shape) either.
      return [...findings, ...findAll(SHAPES, hidden, shapeOf)].map((finding) => {
        const once = exact === undefined ? finding.excerpt : exact.redactFrom(finding.excerpt, 0, false);
        return { ...finding, excerpt: SHAPES.redactFrom(once, 0, false) };
      });
    },
  };
}
