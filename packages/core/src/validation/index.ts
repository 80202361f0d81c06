export type { JsonParseResult, ParseJsonInputOptions } from './json-input';
export { parseJsonInput } from './json-input';
export type { JsonSchema } from './json-schema';
export { defaultsFromSchema, validateJsonSchema } from './json-schema';
export { formatIssuePath, toValidationIssues } from './zod-issues';
