export type { JsonParseResult, ParseJsonInputOptions } from './json-input';
// `parseJsonInput` and `validateJsonSchema` are imported from their own files, never through this
// one: the browser loads them on demand (`@agentry/core/client/validation`), and a bundler
// (esbuild) keeps in the initial chunk every file a static import reaches, used or not.
export type { JsonSchema } from './json-schema-nodes';
export { defaultsFromSchema } from './schema-defaults';
export { formatIssuePath, toValidationIssues } from './zod-issues';
