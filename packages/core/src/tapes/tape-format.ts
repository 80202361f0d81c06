// The tape file: one JSON document per tape (one agent of one tenant), defined here once and
// used by every store. Validated with zod on the way in, written with sorted keys on the way out.
import * as z from 'zod';
import { AgentryError } from '../errors';
import { formatIssuePath } from '../validation';
import { parseJsonInput } from '../validation/json-input';
import { prettyCanonicalJson } from './canonical-json';
import type { TapeEntry, TapeFile, TapeStepEvent } from './tape-types';

/** The `format` field of every tape file. */
export const TAPE_FORMAT = 'agentry-tape';
/** The newest tape format version this code reads and the one it writes. */
export const TAPE_FORMAT_VERSION = 1;

const json: z.ZodType<unknown> = z.unknown();
const jsonObject = z.record(z.string(), json);

const toolCall = z.strictObject({ id: z.string(), name: z.string(), argsText: z.string() });

const message = z.union([
  z.strictObject({ role: z.literal('assistant'), content: z.string(), toolCalls: z.array(toolCall) }),
  z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: z.string() }),
  z.strictObject({
    role: z.literal('tool'),
    toolCallId: z.string(),
    toolName: z.string(),
    content: z.string(),
    isError: z.boolean().optional(),
  }),
]);

const usage = z.looseObject({
  inputTokens: z.number().nonnegative().nullable(),
  outputTokens: z.number().nonnegative().nullable(),
  cachedInputTokens: z.number().nonnegative().optional(),
  reasoningTokens: z.number().nonnegative().optional(),
});

const finishReason = z.enum(['stop', 'length', 'content_filter', 'tool_calls', 'error', 'other']);

const error = z.strictObject({
  code: z.string().min(1),
  message: z.string(),
  userMessage: z.string().optional(),
  status: z.number().int(),
  retryable: z.boolean(),
  provider: z.string().optional(),
  requestId: z.string().optional(),
  retryAfterMs: z.number().nonnegative().optional(),
});

const atMs = z.number().nonnegative();

const STEP_EVENT_FIELDS: Record<TapeStepEvent['type'], readonly [string, 'number' | 'object'][]> = {
  'step-start': [['index', 'number']],
  'tool-call': [
    ['stepIndex', 'number'],
    ['toolCall', 'object'],
  ],
  'tool-result': [
    ['stepIndex', 'number'],
    ['toolResult', 'object'],
  ],
  'step-finish': [['step', 'object']],
};

/** An agent service's step event: its type and the fields that type needs (their insides are the service's). */
const stepEvent = z.custom<TapeStepEvent>((value) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { type } = value as { type?: unknown };
  const fields = typeof type === 'string' ? STEP_EVENT_FIELDS[type as TapeStepEvent['type']] : undefined;
  if (fields === undefined) return false;
  return fields.every(([name, kind]) => {
    const field = (value as Record<string, unknown>)[name];
    return kind === 'number' ? Number.isInteger(field) : field !== null && typeof field === 'object';
  });
}, 'Expected a step event: step-start (index), tool-call (stepIndex, toolCall), tool-result (stepIndex, toolResult) or step-finish (step).');

const event = z.discriminatedUnion('type', [
  z.strictObject({ atMs, type: z.literal('text-delta'), delta: z.string() }),
  z.strictObject({ atMs, type: z.literal('usage'), usage }),
  z.strictObject({ atMs, type: z.literal('tool-call'), toolCall }),
  z.strictObject({ atMs, type: z.literal('service-step'), event: stepEvent }),
  z.strictObject({
    atMs,
    type: z.literal('finish'),
    finishReason,
    rawFinishReason: z.string().optional(),
    model: z.string().optional(),
    requestId: z.string().optional(),
    object: json.optional(),
    error: error.optional(),
  }),
]);

const request = z.strictObject({
  agentId: z.string(),
  model: z.string(),
  messages: z.array(message),
  input: json.optional(),
  tools: z.array(z.strictObject({ name: z.string(), description: z.string(), inputSchema: jsonObject })).optional(),
  outputSchema: z.strictObject({ name: z.string(), schema: jsonObject }).optional(),
  maxOutputTokens: z.number().optional(),
  temperature: z.number().optional(),
  seed: z.number().optional(),
  providerOptions: jsonObject.optional(),
});

const entry = z.strictObject({
  key: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'Expected "sha256:" and 64 hex digits.'),
  attempt: z.number().int().min(1),
  provider: z.string(),
  call: z.enum(['execute', 'stream']),
  recordedAt: z.string(),
  durationMs: z.number().nonnegative(),
  request,
  events: z.array(event),
  error: error.extend({ atMs }).optional(),
});

const file = z.strictObject({
  format: z.literal(TAPE_FORMAT),
  version: z.literal(TAPE_FORMAT_VERSION),
  tenantId: z.string().min(1),
  agentId: z.string().min(1),
  entries: z.array(entry),
});

// What the schema accepts is a TapeFile: a field added to the schema but not the type fails here.
type Accepts<A, B> = [A] extends [B] ? true : false;
const acceptsFile: Accepts<z.output<typeof file>, TapeFile> = true;
void acceptsFile;

/** A tape that cannot be used: names the file (or row) and what is wrong with it. */
export function tapeFormatError(where: string, problem: string, hint = ''): AgentryError {
  return new AgentryError('provider_error', `Tape ${where}: ${problem}${hint ? ` ${hint}` : ''}`, {
    retryable: false,
    userMessage: 'A recorded model answer (tape) could not be read. The message names the file and the problem.',
  });
}

const MAX_ISSUES = 5;

/**
 * Reads a tape document (its text, as stored) and checks it: JSON syntax (with line and
 * column), the format marker, the version (a newer one is refused with the upgrade hint), then
 * every field. `where` names the source in errors (a file path).
 */
export function parseTapeFile(text: string, where: string): TapeFile {
  const parsed = parseJsonInput(text, { maxDepth: 1024 });
  if (!parsed.ok) {
    const { line, column, message: problem } = parsed.issue;
    throw tapeFormatError(
      where,
      `is not valid JSON (line ${line}, column ${column}): ${problem}`,
      'Fix the file by hand, or delete it and record again (AGENTRY_TAPES=record).',
    );
  }
  const value = parsed.value as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value.format !== TAPE_FORMAT) {
    throw tapeFormatError(where, `is not an Agentry tape (expected "format": "${TAPE_FORMAT}" at the top).`);
  }
  if (typeof value.version === 'number' && value.version > TAPE_FORMAT_VERSION) {
    throw tapeFormatError(
      where,
      `has format version ${value.version}, newer than this @agentry/core reads (up to ${TAPE_FORMAT_VERSION}).`,
      'Upgrade @agentry/core to the version that recorded it, or record the tape again with this version (AGENTRY_TAPES=record).',
    );
  }
  const checked = file.safeParse(value);
  if (!checked.success) {
    const issues = checked.error.issues.slice(0, MAX_ISSUES).map((issue) => {
      const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
      return `${formatIssuePath(path)}: ${issue.message}`;
    });
    const more =
      checked.error.issues.length > MAX_ISSUES ? ` (and ${checked.error.issues.length - MAX_ISSUES} more)` : '';
    throw tapeFormatError(
      where,
      `does not match the tape format (version ${TAPE_FORMAT_VERSION}): ${issues.join('; ')}${more}.`,
      'A hand edit may have broken it: fix the field named, or record the tape again (AGENTRY_TAPES=record).',
    );
  }
  return checked.data;
}

/** Entries in their file order: by key, then attempt (so the text does not depend on recording order). */
export function sortEntries(entries: readonly TapeEntry[]): TapeEntry[] {
  return [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.attempt - b.attempt));
}

/** The text of a tape file: sorted keys, two-space indent, final newline, entries sorted. */
export function serializeTapeFile(tape: Omit<TapeFile, 'format' | 'version'>): string {
  const document: TapeFile = {
    format: TAPE_FORMAT,
    version: TAPE_FORMAT_VERSION,
    tenantId: tape.tenantId,
    agentId: tape.agentId,
    entries: sortEntries(tape.entries),
  };
  return prettyCanonicalJson(document);
}
