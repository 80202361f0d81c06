export type { JsonParseResult, ParseJsonInputOptions } from './json-input';
export { parseJsonInput } from './json-input';
export type { JsonSchema } from './json-schema';
export { validateJsonSchema } from './json-schema';
export { defaultsFromSchema } from './schema-defaults';
export { formatIssuePath, toValidationIssues } from './zod-issues';
