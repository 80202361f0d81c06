import type { ValidationIssue } from '../errors';
import { asSchema, type JsonSchema, resolveRef, type SchemaObject, schemaList, typesOf } from './json-schema-nodes';

export type { JsonSchema, SchemaObject } from './json-schema-nodes';

// A small JSON Schema validator for the subset `z.toJSONSchema(schema, { io: 'input' })`
// emits. It exists so browsers can check input against the server's schema before
// sending, without shipping zod (whose `fromJSONSchema` alone is about 40 kB). The server
// stays authoritative: it validates again with the agent's zod schema.

type Path = (string | number)[];

const MAX_DEPTH = 64;

// Formats follow zod (the server's check) where zod is stricter than the RFC (email), and the
// RFCs elsewhere: JSON-Schema-Test-Suite's optional/format cases pass (see json-schema.suite.test.ts).
const FORMATS: Record<string, { test: (value: string) => boolean; message: string }> = {
  email: {
    test: (value) => /^(?:[\w'+-]+\.)*[\w'+-]*[\w+-]@(?:[a-z\d][a-z\d-]*\.)+[a-z]{2,}$/i.test(value),
    message: 'Must be a valid email address.',
  },
  uri: { test: isUri, message: 'Must be a valid URL, e.g. https://example.com.' },
  uuid: {
    test: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
    message: 'Must be a UUID.',
  },
  'date-time': { test: isDateTime, message: 'Must be an ISO 8601 date and time, e.g. 2025-01-31T09:30:00Z.' },
};

/** RFC 3339 date-time: real calendar days, a leap second only at 23:59:60 UTC. */
function isDateTime(value: string): boolean {
  const match = /^(\d{4})-(\d\d)-(\d\d)t(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:z|([+-])(\d\d):(\d\d))$/i.exec(value);
  if (!match) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHour = 0, offsetMinute = 0] = [
    1, 2, 3, 4, 5, 6, 8, 9,
  ].map((index) => Number(match[index] ?? 0));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 60) return false;
  if (offsetHour > 23 || offsetMinute > 59) return false;
  // A leap second is only ever the last second of a UTC day.
  const offset = (match[7] === '-' ? -1 : 1) * (offsetHour * 60 + offsetMinute);
  return second < 60 || (((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 1439;
}

function issue(path: Path, code: string, message: string): ValidationIssue {
  return { path, code, message };
}

/** An absolute URI (RFC 3986): scheme, optional authority, then only allowed or percent-encoded characters. */
function isUri(value: string): boolean {
  return (
    /^[a-z][a-z\d+.-]*:(?:\/\/(?:[\w.~!$&'()*+,;=:%-]*@)?(?:\[[\da-f:.]+\]|[\w.~!$&'()*+,;=%-]*)(?::\d*)?(?:\/[\w.~!$&'()*+,;=:@/%-]*)?|(?!\/\/)[\w.~!$&'()*+,;=:@/%-]*)(?:\?[\w.~!$&'()*+,;=:@/?%-]*)?(?:#[\w.~!$&'()*+,;=:@/?%-]*)?$/i.test(
      value,
    ) && !/%(?![\da-f]{2})/i.test(value)
  );
}

/** The JSON type of a value, with `integer` for whole numbers. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = jsonType(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return expected === actual;
}

/** The JSON type a value has, as messages name it (`integer` counts as a number). */
function describeValue(value: unknown): string {
  const type = jsonType(value);
  return type === 'integer' ? 'number' : type;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Deep equality of JSON values, without recursion: user values can nest arbitrarily deep. */
function equal(left: unknown, right: unknown): boolean {
  const pending: [unknown, unknown][] = [[left, right]];
  // Pairs already compared: makes two values that contain themselves end instead of looping.
  const compared = new Map<object, Set<object>>();
  while (pending.length > 0) {
    const [a, b] = pending.pop() as [unknown, unknown];
    if (a === b) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const seen = compared.get(a) ?? new Set<object>();
    if (seen.has(b)) continue;
    seen.add(b);
    compared.set(a, seen);
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (let index = 0; index < a.length; index += 1) pending.push([a[index], b[index]]);
      continue;
    }
    const leftRecord = a as Record<string, unknown>;
    const rightRecord = b as Record<string, unknown>;
    const keys = Object.keys(leftRecord);
    if (keys.length !== Object.keys(rightRecord).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(rightRecord, key)) return false;
      pending.push([leftRecord[key], rightRecord[key]]);
    }
  }
  return true;
}

function compile(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

function formatList(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

// Closures rather than a class: minifiers shorten local function names, not method names.
function createChecker(root: JsonSchema) {
  function check(schema: JsonSchema, value: unknown, path: Path, depth: number): ValidationIssue[] {
    if (schema === true) return [];
    if (schema === false) return [issue(path, 'not_allowed', 'This value is not allowed here.')];
    if (depth > MAX_DEPTH) return [];

    if (typeof schema.$ref === 'string') {
      const target = resolveRef(root, schema.$ref);
      if (target === undefined) return [];
      const { $ref: _ref, ...rest } = schema;
      return [...check(target, value, path, depth + 1), ...check(rest, value, path, depth + 1)];
    }

    const issues: ValidationIssue[] = [];
    const types = typesOf(schema);
    if (types && types.length > 0 && !types.some((type) => typeMatches(type, value))) {
      return [issue(path, 'invalid_type', `Expected ${types.join(' or ')}, got ${describeValue(value)}.`)];
    }

    if ('const' in schema && !equal(value, schema.const)) {
      issues.push(issue(path, 'invalid_value', `Must be ${JSON.stringify(schema.const)}.`));
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => equal(option, value))) {
      issues.push(
        issue(
          path,
          'invalid_value',
          schema.enum.length === 1
            ? `Must be ${JSON.stringify(schema.enum[0])}.`
            : `Must be one of ${formatList(schema.enum)}.`,
        ),
      );
    }

    if (typeof value === 'string') checkString(schema, value, path, issues);
    else if (typeof value === 'number') checkNumber(schema, value, path, issues);
    else if (Array.isArray(value)) checkArray(schema, value, path, depth, issues);
    else if (typeof value === 'object' && value !== null) {
      checkObject(schema, value as Record<string, unknown>, path, depth, issues);
    }

    for (const branch of schemaList(schema.allOf)) issues.push(...check(branch, value, path, depth + 1));
    if (Array.isArray(schema.anyOf)) issues.push(...checkUnion(schemaList(schema.anyOf), value, path, depth));
    if (Array.isArray(schema.oneOf)) issues.push(...checkUnion(schemaList(schema.oneOf), value, path, depth, true));
    const not = asSchema(schema.not);
    if (not !== undefined && check(not, value, path, depth + 1).length === 0) {
      issues.push(issue(path, 'not_allowed', 'This value is not allowed here.'));
    }
    return issues;
  }

  function checkString(schema: SchemaObject, value: string, path: Path, issues: ValidationIssue[]): void {
    // Count code points, as zod and JSON Schema do, not UTF-16 units.
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      issues.push(
        issue(
          path,
          'too_small',
          schema.minLength === 1 && length === 0
            ? 'Must not be empty.'
            : `Must be at least ${plural(schema.minLength, 'character', 'characters')}.`,
        ),
      );
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      issues.push(issue(path, 'too_big', `Must be at most ${plural(schema.maxLength, 'character', 'characters')}.`));
    }
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
    // A pattern this engine cannot compile is left to the server.
    const patternOk = typeof schema.pattern !== 'string' || (compile(schema.pattern)?.test(value) ?? true);
    if (format && (!format.test(value) || !patternOk)) {
      issues.push(issue(path, 'invalid_format', format.message));
    } else if (!patternOk) {
      issues.push(issue(path, 'invalid_format', `Must match the pattern ${String(schema.pattern)}.`));
    }
  }

  function checkNumber(schema: SchemaObject, value: number, path: Path, issues: ValidationIssue[]): void {
    if (typeof schema.minimum === 'number' && value < schema.minimum) {
      issues.push(issue(path, 'too_small', `Must be at least ${schema.minimum}.`));
    }
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) {
      issues.push(issue(path, 'too_small', `Must be greater than ${schema.exclusiveMinimum}.`));
    }
    if (typeof schema.maximum === 'number' && value > schema.maximum) {
      issues.push(issue(path, 'too_big', `Must be at most ${schema.maximum}.`));
    }
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) {
      issues.push(issue(path, 'too_big', `Must be less than ${schema.exclusiveMaximum}.`));
    }
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const quotient = value / schema.multipleOf;
      // Tolerate floating-point noise (0.3 / 0.1 = 2.9999999999999996).
      if (!Number.isFinite(quotient) || Math.abs(quotient - Math.round(quotient)) > 1e-9) {
        issues.push(issue(path, 'not_multiple_of', `Must be a multiple of ${schema.multipleOf}.`));
      }
    }
  }

  function checkArray(
    schema: SchemaObject,
    value: unknown[],
    path: Path,
    depth: number,
    issues: ValidationIssue[],
  ): void {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      issues.push(issue(path, 'too_small', `Must have at least ${plural(schema.minItems, 'item', 'items')}.`));
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      issues.push(issue(path, 'too_big', `Must have at most ${plural(schema.maxItems, 'item', 'items')}.`));
    }
    const prefix = schemaList(schema.prefixItems);
    const rest = asSchema(schema.items);
    value.forEach((item, index) => {
      const itemSchema = index < prefix.length ? prefix[index] : rest;
      if (itemSchema === false && index >= prefix.length) {
        issues.push(issue([...path, index], 'too_big', `Unexpected item: at most ${prefix.length} allowed.`));
      } else if (itemSchema !== undefined) {
        issues.push(...check(itemSchema, item, [...path, index], depth + 1));
      }
    });
    if (schema.uniqueItems === true) {
      for (let index = 1; index < value.length; index += 1) {
        const first = value.findIndex((other) => equal(other, value[index]));
        if (first < index) {
          issues.push(issue([...path, index], 'not_unique', `Duplicates item ${first}.`));
        }
      }
    }
  }

  function checkObject(
    schema: SchemaObject,
    value: Record<string, unknown>,
    path: Path,
    depth: number,
    issues: ValidationIssue[],
  ): void {
    const properties =
      typeof schema.properties === 'object' && schema.properties !== null
        ? (schema.properties as Record<string, unknown>)
        : {};
    if (Array.isArray(schema.required)) {
      for (const key of schema.required) {
        if (typeof key === 'string' && !Object.hasOwn(value, key)) {
          const expected = asSchema(properties[key]);
          const types = expected && typeof expected === 'object' ? typesOf(expected) : undefined;
          issues.push(issue([...path, key], 'required', types ? `Required: ${types.join(' or ')}.` : 'Required.'));
        }
      }
    }
    const additional = asSchema(schema.additionalProperties);
    const patterns = Object.entries(
      typeof schema.patternProperties === 'object' && schema.patternProperties !== null ? schema.patternProperties : {},
    ).flatMap(([pattern, patternSchema]) => {
      const compiled = compile(pattern);
      const target = asSchema(patternSchema);
      return compiled && target !== undefined ? [[compiled, target] as const] : [];
    });
    const names = asSchema(schema.propertyNames);
    for (const [key, item] of Object.entries(value)) {
      if (names !== undefined && check(names, key, path, depth + 1).length > 0) {
        issues.push(issue([...path, key], 'invalid_key', `The field name ${JSON.stringify(key)} is not allowed.`));
      }
      const matching = patterns.filter(([pattern]) => pattern.test(key));
      for (const [, patternSchema] of matching) issues.push(...check(patternSchema, item, [...path, key], depth + 1));
      const known = Object.hasOwn(properties, key);
      const propertySchema = known ? asSchema(properties[key]) : matching.length > 0 ? undefined : additional;
      if (propertySchema === false) {
        issues.push(issue([...path, key], 'unrecognized_key', `Unknown field ${JSON.stringify(key)}.`));
      } else if (propertySchema !== undefined) {
        issues.push(...check(propertySchema, item, [...path, key], depth + 1));
      }
    }
  }

  function checkUnion(
    branches: JsonSchema[],
    value: unknown,
    path: Path,
    depth: number,
    exactlyOne = false,
  ): ValidationIssue[] {
    if (branches.length === 0) return [];
    const results = branches.map((branch) => check(branch, value, path, depth + 1));
    const passed = results.filter((result) => result.length === 0).length;
    if (exactlyOne && passed > 1) {
      return [issue(path, 'invalid_union', 'Matches more than one allowed shape; it must match exactly one.')];
    }
    if (passed > 0) return [];
    // Report the branch the value was evidently meant for: the one whose type it has.
    const sameType = results.filter(
      (result) => !result.some((issue) => issue.code === 'invalid_type' && issue.path.length === path.length),
    );
    if (sameType.length === 1 && sameType[0]) return sameType[0];
    const types = branches.flatMap((branch) => (typeof branch === 'object' ? (typesOf(branch) ?? []) : []));
    const unique = [...new Set(types)];
    return [
      issue(
        path,
        'invalid_union',
        unique.length > 0
          ? `Expected ${unique.join(' or ')}, got ${describeValue(value)}.`
          : 'Does not match any allowed shape.',
      ),
    ];
  }

  return check;
}

/**
 * Validates a value against a JSON Schema (the subset `z.toJSONSchema(schema, { io: 'input' })`
 * emits: types, properties, required, additionalProperties, enum, const, string lengths,
 * patterns and common formats, number bounds, multipleOf, items, prefixItems, item counts,
 * uniqueItems, anyOf, oneOf, allOf, not, local `$ref`). Answers every problem found, each
 * with its path; an empty array means valid.
 *
 * @example
 * validateJsonSchema({ type: 'object', required: ['text'] }, {})
 * // → [{ path: ['text'], code: 'required', message: 'Required.' }]
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown): ValidationIssue[] {
  return createChecker(schema)(schema, value, [], 0);
}
