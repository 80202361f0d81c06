import type { z } from 'zod';
import type { ExecutionMode } from '../agent/execution-mode';
import type { Logger } from '../logging';
import type { TenantContext } from '../tenant/tenant-context';

/**
 * What a tool's `execute` gets besides its input. The tenant is the run's, fixed by the
 * pipeline: never taken from the model's arguments, so a tool cannot be talked into another
 * workspace. Nothing here reaches another tenant.
 */
export interface ToolContext {
  /** The tenant the run is for (a frozen copy). Scope every read and write by it. */
  readonly tenant: TenantContext;
  /** The run's execution id. */
  readonly executionId: string;
  /** The mode the run is in. */
  readonly mode: ExecutionMode;
  /** Aborted when the run is cancelled or a step or total deadline passes: pass it on to I/O. */
  readonly signal: AbortSignal;
  /** The executor's (redacting) logger, with the run's tenant, execution and tool on every line. */
  readonly logger: Logger;
}

/** Retries of a tool call that threw. Tools are never retried unless they opt in. */
export interface ToolRetryOptions {
  /** Retries after the first call. */
  maxRetries: number;
  /** Delay between tries, in ms. @default 0 */
  delayMs?: number;
}

/** What {@link defineTool} takes. */
export interface ToolConfig<TInputSchema extends z.ZodType, TOutputSchema extends z.ZodType | undefined, TResult> {
  /**
   * The name the model calls it by. @default the key it has in the agent's `tools`
   * Letters, digits, `_` and `-`, at most 64 (what OpenAI and Anthropic accept).
   */
  name?: string;
  /** What the tool does and when to call it: the model reads this. */
  description: string;
  /** The arguments' schema. Every call is validated against it; an invalid call becomes an error result the model sees. */
  input: TInputSchema;
  /** The result's schema; when set, results are validated (a mismatch is the tool's failure). @default unchecked */
  output?: TOutputSchema;
  /** Runs the tool. Throw an `AgentryError` to give the model a clear error code and message. */
  execute(input: z.output<TInputSchema>, context: ToolContext): ToolReturn<TOutputSchema, TResult>;
  /** Modes the tool is offered in; in the others the model is not told of it. @default ['mock', 'live'] */
  modes?: readonly ExecutionMode[];
  /** Runs instead of `execute` in mock mode, so mock runs never touch real systems. @default execute */
  mock?(input: z.output<TInputSchema>, context: ToolContext): ToolReturn<TOutputSchema, TResult>;
  /** Retries when `execute` throws (not on cancel or timeout). A number is `maxRetries`. @default no retries */
  retry?: number | ToolRetryOptions;
}

/** What `execute` may return: input to the output schema when there is one, else anything (inferred). */
export type ToolReturn<TOutputSchema extends z.ZodType | undefined, TResult> = TOutputSchema extends z.ZodType
  ? z.input<TOutputSchema> | Promise<z.input<TOutputSchema>>
  : TResult | Promise<TResult>;

/** The result type of a tool: its output schema's type, else what `execute` returns. */
export type ToolOutput<TOutputSchema extends z.ZodType | undefined, TResult> = TOutputSchema extends z.ZodType
  ? z.output<TOutputSchema>
  : TResult;

/** A defined tool. The type parameters carry its input and result types to agents, scripts and results. */
export interface ToolDefinition<
  TInputSchema extends z.ZodType = z.ZodType,
  TOutputSchema extends z.ZodType | undefined = z.ZodType | undefined,
  TResult = unknown,
> extends Readonly<Omit<ToolConfig<TInputSchema, TOutputSchema, TResult>, 'retry'>> {
  readonly kind: 'agentry.tool';
  readonly modes: readonly ExecutionMode[];
  /** `retry` as options (a number became `{ maxRetries }`); absent when the tool does not retry. */
  readonly retry?: Readonly<ToolRetryOptions>;
}

/** Any tool, whatever its types. */
// biome-ignore lint/suspicious/noExplicitAny: the erased form must accept every tool
export type AnyTool = ToolDefinition<any, any, any>;

/** An agent's tools, by the key the model calls them by (unless a tool names itself). */
export type ToolSet = Readonly<Record<string, AnyTool>>;

/** The input a tool accepts (its arguments before defaults). */
export type ToolInput<TTool extends AnyTool> = z.input<TTool['input']>;

/** What a tool's call results in. */
export type ToolResult<TTool extends AnyTool> =
  // biome-ignore lint/suspicious/noExplicitAny: matches any input schema
  TTool extends ToolDefinition<any, infer TOutputSchema, infer TResult>
    ? Awaited<ToolOutput<TOutputSchema, TResult>>
    : unknown;

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True for a name OpenAI and Anthropic accept for a tool: 1-64 letters, digits, `_` or `-`. */
export function isToolName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}

function isSchema(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as { safeParse?: unknown }).safeParse === 'function'
  );
}

/**
 * Defines a tool an agent's model may call. Its input type flows from the `input` schema into
 * `execute`, and its result type into the run's `tool-result` events:
 *
 * ```ts
 * const lookupTicket = defineTool({
 *   description: 'Looks up a support ticket of this workspace by id.',
 *   input: z.object({ ticketId: z.string() }),
 *   execute: ({ ticketId }, { tenant }) => tickets.find(tenant.tenantId, ticketId),
 * });
 * ```
 */
export function defineTool<
  TInputSchema extends z.ZodType,
  TOutputSchema extends z.ZodType | undefined = undefined,
  TResult = ToolOutput<TOutputSchema, unknown>,
>(config: ToolConfig<TInputSchema, TOutputSchema, TResult>): ToolDefinition<TInputSchema, TOutputSchema, TResult> {
  const where = `defineTool(${config?.name === undefined ? '' : JSON.stringify(config.name)})`;
  if (config === null || typeof config !== 'object') throw new TypeError('defineTool takes an options object.');
  if (config.name !== undefined && !isToolName(config.name)) {
    throw new TypeError(
      `${where}: name must be 1-64 letters, digits, "_" or "-" (what model APIs accept), got ${JSON.stringify(config.name)}.`,
    );
  }
  if (typeof config.description !== 'string' || config.description.trim() === '') {
    throw new TypeError(`${where}: description is required: the model reads it to decide when to call the tool.`);
  }
  if (!isSchema(config.input)) throw new TypeError(`${where}: input must be a zod schema (e.g. z.object({ … })).`);
  if (config.output !== undefined && !isSchema(config.output))
    throw new TypeError(`${where}: output must be a zod schema when set.`);
  if (typeof config.execute !== 'function') throw new TypeError(`${where}: execute must be a function.`);
  if (config.mock !== undefined && typeof config.mock !== 'function')
    throw new TypeError(`${where}: mock must be a function of the input, like execute.`);
  const modes = config.modes ?? ['mock', 'live'];
  if (!Array.isArray(modes) || modes.length === 0 || modes.some((mode) => mode !== 'mock' && mode !== 'live')) {
    throw new TypeError(`${where}: modes must list "mock" and/or "live".`);
  }
  const { retry, ...rest } = config;
  const definition: Record<string, unknown> = { ...rest, kind: 'agentry.tool', modes: Object.freeze([...modes]) };
  if (retry !== undefined) {
    const options = typeof retry === 'number' ? { maxRetries: retry } : retry;
    const valid =
      typeof options === 'object' &&
      options !== null &&
      Number.isInteger(options.maxRetries) &&
      options.maxRetries >= 0 &&
      (options.delayMs === undefined || (typeof options.delayMs === 'number' && options.delayMs >= 0));
    if (!valid) throw new TypeError(`${where}: retry must be a whole number >= 0 or { maxRetries, delayMs? }.`);
    definition.retry = Object.freeze({ ...options });
  }
  return Object.freeze(definition) as unknown as ToolDefinition<TInputSchema, TOutputSchema, TResult>;
}

/** True for a value made by {@link defineTool}. */
export function isTool(value: unknown): value is AnyTool {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'agentry.tool';
}
