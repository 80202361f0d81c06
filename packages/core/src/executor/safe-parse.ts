import type { AnyAgent } from '../agent';
import type { ValidationIssue } from '../errors';

type Schema = AnyAgent['input'];
export type ParseResult = ReturnType<Schema['safeParse']>;

// Schemas found to parse asynchronously: parsed asynchronously from then on. zod's synchronous
// attempt runs an async refinement and drops its promise; if that promise rejects, nobody
// listens (an unhandled rejection), so after the first time it is not made again.
const asyncSchemas = new WeakSet<object>();

/** Parses synchronously (fast) and falls back to async parsing for schemas with async refinements. */
export function safeParse(schema: Schema, value: unknown): ParseResult | Promise<ParseResult> {
  if (asyncSchemas.has(schema)) return schema.safeParseAsync(value);
  try {
    return schema.safeParse(value);
  } catch (error) {
    if (error instanceof Error && error.constructor.name === '$ZodAsyncError') {
      asyncSchemas.add(schema);
      return schema.safeParseAsync(value);
    }
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
