export type { JsonSchema } from '@agentry/core';
export { defaultsFromSchema, validateJsonSchema } from '@agentry/core';
