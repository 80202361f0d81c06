import type { ValidationIssue } from '../errors';

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
  code?: string;
}

/** Converts zod issues (v4 or compatible) into Agentry's {@link ValidationIssue}s. */
export function toValidationIssues(issues: readonly ZodLikeIssue[]): ValidationIssue[] {
  return issues.map((issue) => {
    const out: ValidationIssue = {
      path: issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
      message: issue.message,
    };
    if (issue.code !== undefined) out.code = issue.code;
    return out;
  });
}

/** Renders a path as a JSON path for people: `$.items[0].name`. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of path) {
    out +=
      typeof segment === 'number'
        ? `[${segment}]`
        : /^[A-Za-z_$][\w$]*$/.test(segment)
          ? `.${segment}`
          : `[${JSON.stringify(segment)}]`;
  }
  return out;
}
