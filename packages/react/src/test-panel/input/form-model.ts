import type { JsonSchema } from '@agentry/core/client';

// How the form reads an agent's input JSON Schema (what z.toJSONSchema emits): each node becomes
// one kind of control, or `json` (a JSON editor for that subtree) when the form cannot show it.
// The form never drops data: a value that does not fit its control is shown as JSON too.

type Node = { [keyword: string]: unknown };
export type Path = readonly (string | number)[];
export type Scalar = string | number | boolean | null;

/** One control of the form, read from a schema node and the value at that place. */
export type Field =
  | { kind: 'string'; schema: Node; multiline: boolean }
  | { kind: 'enum'; schema: Node; options: readonly Scalar[] }
  | { kind: 'number'; schema: Node; integer: boolean }
  | { kind: 'boolean'; schema: Node }
  | { kind: 'const'; schema: Node; value: unknown }
  | { kind: 'object'; schema: Node; properties: readonly [string, Node][]; required: ReadonlySet<string> }
  | { kind: 'array'; schema: Node; items: Node }
  | { kind: 'nullable'; schema: Node; inner: Node }
  | { kind: 'json'; schema: Node; reason: 'union' | 'unsupported' | 'mismatch' | 'any' };

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const asNode = (value: unknown): Node =>
  value === true || value === undefined ? {} : isNode(value) ? value : { not: {} };
export const isRecord = isNode;

/** Follows local `$ref`s (`#/$defs/…`); sibling keywords (description, default) are kept. */
export function resolve(root: JsonSchema, schema: unknown): Node {
  let node = asNode(schema);
  for (let depth = 0; typeof node.$ref === 'string' && depth < 32; depth += 1) {
    const { $ref, ...rest } = node;
    let target: unknown = root;
    for (const part of ($ref as string).replace(/^#\/?/, '').split('/')) {
      if (part === '') continue;
      target = isNode(target) ? target[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    if (target === undefined) return { ...rest };
    node = { ...asNode(target), ...rest };
  }
  return node;
}

const typesOf = (node: Node): string[] =>
  typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? (node.type as string[]) : [];

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** The control for `schema` (resolved) showing `value` (`undefined` when absent). */
export function fieldFor(root: JsonSchema, schema: unknown, value: unknown): Field {
  const node = resolve(root, schema);
  const fits = (type: string) => value === undefined || jsonType(value) === type;
  const types = typesOf(node);
  const union = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  // `.nullable()` is `type: [T, "null"]` or `anyOf: [T, { type: "null" }]`.
  if (types.length === 2 && types.includes('null')) {
    const { type: _type, ...rest } = node;
    return { kind: 'nullable', schema: node, inner: { ...rest, type: types.find((type) => type !== 'null') } };
  }
  if (Array.isArray(union)) {
    const others = union.filter(
      (branch) => !(isNode(branch) && branch.type === 'null' && Object.keys(branch).length === 1),
    );
    if (others.length === 1 && union.length === 2 && !node.allOf) {
      const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = node;
      return { kind: 'nullable', schema: node, inner: { ...resolve(root, others[0]), ...rest } };
    }
    return { kind: 'json', schema: node, reason: 'union' };
  }
  if (node.allOf || node.not || node.prefixItems || node.patternProperties) {
    return { kind: 'json', schema: node, reason: 'unsupported' };
  }
  if ('const' in node) {
    return value === undefined || JSON.stringify(value) === JSON.stringify(node.const)
      ? { kind: 'const', schema: node, value: node.const }
      : { kind: 'json', schema: node, reason: 'mismatch' };
  }
  if (Array.isArray(node.enum)) {
    const options = node.enum as Scalar[];
    if (
      options.every((option) => option === null || typeof option !== 'object') &&
      (value === undefined || (!isNode(value) && !Array.isArray(value)))
    ) {
      return { kind: 'enum', schema: node, options };
    }
    return { kind: 'json', schema: node, reason: 'unsupported' };
  }
  const type = types.length === 1 ? types[0] : types.length === 0 && isNode(node.properties) ? 'object' : undefined;
  switch (type) {
    case 'string':
      if (!fits('string')) break;
      return {
        kind: 'string',
        schema: node,
        // Long text gets a growing text area; short, formatted or patterned strings a one-line input.
        multiline:
          (typeof value === 'string' && (value.includes('\n') || value.length > 80)) ||
          (node.format === undefined && node.pattern === undefined && !((node.maxLength as number) <= 100)),
      };
    case 'number':
    case 'integer':
      if (!fits('number')) break;
      return { kind: 'number', schema: node, integer: type === 'integer' };
    case 'boolean':
      if (!fits('boolean')) break;
      return { kind: 'boolean', schema: node };
    case 'object': {
      if (!fits('object')) break;
      const properties = Object.entries(isNode(node.properties) ? node.properties : {}).map(
        ([key, property]) => [key, asNode(property)] as [string, Node],
      );
      // A map with free keys (z.record) has no properties to lay out.
      if (properties.length === 0 && node.additionalProperties !== undefined && node.additionalProperties !== false) {
        return { kind: 'json', schema: node, reason: 'unsupported' };
      }
      return {
        kind: 'object',
        schema: node,
        properties,
        required: new Set(Array.isArray(node.required) ? (node.required as string[]) : []),
      };
    }
    case 'array':
      if (!fits('array')) break;
      return { kind: 'array', schema: node, items: asNode(node.items) };
    default:
      return {
        kind: 'json',
        schema: node,
        reason: types.length > 1 ? 'union' : types.length === 0 ? 'any' : 'unsupported',
      };
  }
  return { kind: 'json', schema: node, reason: 'mismatch' };
}

/** The value at `path`, or `undefined`. */
export function getIn(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.hasOwn(current, key) ? (current as Record<string | number, unknown>)[key] : undefined;
  }
  return current;
}

/**
 * A copy of `value` with `next` at `path` (`undefined` removes an object key or an array item).
 * Keys keep their order; only the containers along the path are copied.
 */
export function setIn(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [key, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(value) && typeof key === 'number') {
    const copy = [...value];
    if (rest.length === 0 && next === undefined) copy.splice(key, 1);
    else copy[key] = setIn(value[key], rest, next);
    return copy;
  }
  const record = isNode(value) ? value : {};
  if (rest.length === 0 && next === undefined) {
    const { [key]: _removed, ...others } = record;
    return others;
  }
  return { ...record, [key]: setIn(record[key], rest, next) };
}

/** An array with the item at `from` moved to `to`. */
export function moveItem(items: readonly unknown[], from: number, to: number): unknown[] {
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}

/** Issues keyed by their path, for fields to find their own. */
export const pathKey = (path: Path): string => JSON.stringify(path);
