// `@agentry/core/client/validation`: the input checks in full — JSON parsed with the line and
// column of a syntax error, the JSON Schema validator a browser can afford (no zod), and the
// input check built on both. It is an entry of its own, off `@agentry/core/client`, so that a
// bundle can load it on demand: the run store (and so the TestPanel) does, in a chunk of its own,
// while the page shows. Import it here to check input yourself, at once and synchronously.

export type { JsonParseResult, ParseJsonInputOptions } from '../validation';
export { parseJsonInput } from '../validation/json-input';
export { validateJsonSchema } from '../validation/json-schema';
export type { CheckInputResult } from './run-store/check-input';
export { checkInput } from './run-store/validate-input';
