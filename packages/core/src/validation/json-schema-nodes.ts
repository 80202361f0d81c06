// Reading JSON Schema nodes: shared by the validator (`json-schema.ts`, loaded on demand in the
// browser) and the defaults (`schema-defaults.ts`, needed to show an agent's first input). Kept
// apart so a bundle that only shows defaults does not carry the validator.

/** A JSON Schema node as produced by `z.toJSONSchema` (draft 2020-12), or a boolean schema. */
export type JsonSchema = boolean | { [keyword: string]: unknown };

/** A JSON Schema node that is not a boolean schema. */
export type SchemaObject = { [keyword: string]: unknown };

/** Resolves a local `$ref` (`#` or a JSON Pointer `#/…`); `undefined` when it points nowhere. */
export function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'boolean' || (typeof node === 'object' && node !== null) ? (node as JsonSchema) : undefined;
}

/** The value as a schema node, when it is one (an object or a boolean). */
export function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value))
    ? (value as JsonSchema)
    : undefined;
}

/** The schema nodes of a keyword that holds a list (`anyOf`, `prefixItems`, …). */
export function schemaList(value: unknown): JsonSchema[] {
  return Array.isArray(value) ? value.map(asSchema).filter((item): item is JsonSchema => item !== undefined) : [];
}

/** The node's `type` keyword as a list, or `undefined` without one. */
export function typesOf(schema: SchemaObject): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((item): item is string => typeof item === 'string');
  return undefined;
}
