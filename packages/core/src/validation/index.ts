export type { JsonParseResult } from './json-input';
export { parseJsonInput } from './json-input';
export { formatIssuePath, toValidationIssues } from './zod-issues';
