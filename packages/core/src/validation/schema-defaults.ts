import { asSchema, type JsonSchema, resolveRef, schemaList, typesOf } from './json-schema-nodes';

// A starting value for a form or a JSON editor, built from the same JSON Schema the validator
// reads (`json-schema.ts`): the schema's own reading, kept apart from the checking.

const FORMAT_EXAMPLES: Record<string, string> = {
  email: 'user@example.com',
  uri: 'https://example.com',
  uuid: '123e4567-e89b-42d3-a456-426614174000',
  'date-time': '2025-01-01T00:00:00Z',
};

function defaults(root: JsonSchema, schema: JsonSchema, depth: number): unknown {
  if (typeof schema === 'boolean' || depth > 8) return undefined;
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    return target === undefined ? undefined : defaults(root, target, depth + 1);
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const union = schemaList(schema.anyOf ?? schema.oneOf);
  if (union.length > 0) {
    const preferred = union.find((branch) => !(typeof branch === 'object' && branch.type === 'null')) ?? union[0];
    return preferred === undefined ? undefined : defaults(root, preferred, depth + 1);
  }
  const all = schemaList(schema.allOf);
  // Every branch's members, later branches winning. Object.fromEntries defines each: assigning
  // a `__proto__` key (valid JSON) would set the prototype instead.
  if (all.length > 0)
    return Object.fromEntries(all.flatMap((branch) => Object.entries(defaults(root, branch, depth + 1) ?? {})));
  const types = typesOf(schema) ?? (schema.properties ? ['object'] : []);
  const type = types.find((item) => item !== 'null') ?? types[0];
  switch (type) {
    case 'object': {
      const members: [string, unknown][] = [];
      const properties = (schema.properties ?? {}) as Record<string, unknown>;
      const required = new Set(Array.isArray(schema.required) ? schema.required : []);
      for (const [key, raw] of Object.entries(properties)) {
        const property = asSchema(raw);
        if (property === undefined) continue;
        const hasDefault = typeof property === 'object' && 'default' in property;
        if (!required.has(key) && !hasDefault) continue;
        const value = defaults(root, property, depth + 1);
        if (value !== undefined) members.push([key, value]);
      }
      // Defined, not assigned: a property named `__proto__` stays a member.
      return Object.fromEntries(members);
    }
    case 'array': {
      const prefix = schemaList(schema.prefixItems);
      if (prefix.length > 0) return prefix.map((item) => defaults(root, item, depth + 1) ?? null);
      const items = asSchema(schema.items);
      const count = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 16) : 0;
      return items === undefined ? [] : Array.from({ length: count }, () => defaults(root, items, depth + 1) ?? null);
    }
    case 'string':
      return typeof schema.format === 'string' ? (FORMAT_EXAMPLES[schema.format] ?? '') : '';
    case 'number':
    case 'integer': {
      if (typeof schema.minimum === 'number') return schema.minimum;
      return typeof schema.exclusiveMinimum === 'number' ? Math.floor(schema.exclusiveMinimum) + 1 : 0;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

/**
 * Builds a sensible starting value from a JSON Schema: declared defaults, the first enum
 * option, every required field filled with an empty value of its type (and placeholders
 * for formats such as email), optional fields without a default left out.
 *
 * @example
 * defaultsFromSchema({ type: 'object', properties: { text: { type: 'string' }, style: { enum: ['brief'], default: 'brief' } }, required: ['text'] })
 * // → { text: '', style: 'brief' }
 */
export function defaultsFromSchema(schema: JsonSchema): unknown {
  return defaults(schema, schema, 0) ?? {};
}
