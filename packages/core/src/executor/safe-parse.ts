import type { AnyAgent } from '../agent';
import type { ValidationIssue } from '../errors';

type Schema = AnyAgent['input'];
type ParseResult = ReturnType<Schema['safeParse']>;

/** Parses synchronously (fast) and falls back to async parsing for schemas with async refinements. */
export function safeParse(schema: Schema, value: unknown): ParseResult | Promise<ParseResult> {
  try {
    return schema.safeParse(value);
  } catch (error) {
    if (error instanceof Error && error.constructor.name === '$ZodAsyncError') return schema.safeParseAsync(value);
    throw error;
  }
}

/** {@link safeParse} for a schema whose own code (a refinement, a transform) may throw: reports the throw instead. */
export async function safeParseCatching(schema: Schema, value: unknown): Promise<ParseResult | { thrown: unknown }> {
  try {
    return await safeParse(schema, value);
  } catch (thrown) {
    return { thrown };
  }
}

/** The first few issues, one line: `path: message; …`. */
export function issuesSummary(issues: ValidationIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
