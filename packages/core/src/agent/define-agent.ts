import type { z } from 'zod';
import type { AnyTool, ToolSet } from '../tools/define-tool';
import { isTool, isToolName } from '../tools/define-tool';
import { type StopWhen, stopConditionsOf } from '../tools/stop-condition';
import type { ExecutionMode } from './execution-mode';
import type { MockContext, MockScript } from './mock-script';

export type { ExecutionMode, MockContext };

/** One chat message sent to a model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Which live model runs the agent. */
export interface ModelSettings {
  /** The key of a provider passed to `createExecutor({ providers })`, e.g. `openai`. */
  provider: string;
  /** The provider's model id, e.g. `gpt-4.1-mini`. */
  model: string;
  /** Upper bound on output tokens. @default provider default */
  maxOutputTokens?: number;
  /** Sampling temperature. @default provider default */
  temperature?: number;
  /**
   * Options for specific providers, keyed by provider id, passed to the adapter as
   * `request.providerOptions[id]`: each adapter reads its own key and ignores the others, so an
   * agent can carry options for the provider it runs on today and the one it may move to
   * (`{ openai: { reasoning_effort: 'low' }, anthropic: { top_k: 5 } }`). The key `mock` is
   * reserved: mock behaviour is the agent's `mock`.
   */
  providerOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A fixture: when `match` matches the input (a partial object or a predicate), answer `output`. */
export interface MockFixture<TInput, TOutput> {
  match?: Partial<TInput> | ((input: TInput) => boolean);
  // NoInfer: only a mock function's return infers the output type; fixtures are checked against it.
  output: NoInfer<TOutput>;
}

/**
 * What a mock may return for an output type: the same shape, where arrays and properties may
 * be readonly. `defineAgent` reads a mock's return as a literal (`'billing'` stays `'billing'`,
 * not `string`), so it type-checks against an enum without `as const`; literal arrays are
 * readonly tuples then, which this type accepts.
 */
export type MockOutput<TOutput> = TOutput extends (...args: never[]) => unknown
  ? TOutput
  : TOutput extends Date | RegExp | Map<unknown, unknown> | Set<unknown> | Promise<unknown> | Uint8Array
    ? TOutput
    : // Homomorphic: arrays and tuples stay arrays and tuples (readonly), objects keep their keys.
      TOutput extends object
      ? { readonly [K in keyof TOutput]: MockOutput<TOutput[K]> }
      : TOutput;

/**
 * How an agent behaves in mock mode:
 * - a function of the input (sync or async);
 * - `{ fixtures, fallback? }`: the first fixture whose `match` fits, else `fallback`;
 * - `{ stream }`: a scripted stream of text chunks (for text agents; the chunks joined are the output);
 * - `{ steps }`: for agents with tools, the model's steps: tool calls, then a final answer
 *   (a list, or a function of the input and the history that returns the next step).
 */
export type AgentMock<TInput, TOutput, TTools extends ToolSet = ToolSet> =
  | MockScript<TInput, TOutput, TTools>
  | ((input: TInput, context: MockContext) => TOutput | Promise<TOutput>)
  | {
      fixtures: readonly MockFixture<TInput, TOutput>[];
      fallback?: (input: TInput, context: MockContext) => NoInfer<TOutput>;
    }
  | { stream: readonly string[] };

/**
 * What {@link defineAgent} takes. `TMockOutput` is what the mock returns: by default the
 * output type; `defineAgent` infers it from the mock and checks it against the output schema.
 */
export interface AgentConfig<
  TId extends string,
  TInputSchema extends z.ZodType,
  TOutputSchema extends z.ZodType | undefined,
  TMockOutput = AgentOutput<TOutputSchema>,
  TTools extends ToolSet = ToolSet,
> {
  /** Stable id, used in URLs and history. Letters, digits, `-` and `_`. */
  id: TId;
  /** Human name shown in the TestPanel. */
  name: string;
  /** One sentence on what the agent does. */
  description?: string;
  /** The input schema; input is validated (and defaults applied) before anything runs. */
  input: TInputSchema;
  /** The output schema. When set, output is JSON validated against it; when absent, output is text. */
  output?: TOutputSchema;
  /** The live model. Required for live mode; mock mode works without it. */
  model?: ModelSettings;
  /** Builds the messages from the validated input. A string is sent as one user message. */
  prompt: (input: z.output<TInputSchema>) => ChatMessage[] | string;
  /** Mock behaviour. When absent, mock mode answers a deterministic placeholder. */
  mock?: AgentMock<z.output<TInputSchema>, TMockOutput, TTools>;
  /**
   * Tools the model may call, by name (a tool's own `name` wins over its key). With tools, a
   * run is a loop: model → tool calls → results → model … until a final answer or `maxSteps`.
   */
  tools?: TTools;
  /**
   * The most model calls (steps) one run may make; a run still calling tools after them fails
   * with `max_steps_reached`. @default the executor's `limits.maxSteps` (5)
   */
  maxSteps?: number;
  /**
   * Ends the loop early: asked after each step whose tools ran, one condition or several (any
   * one stops). When it answers `true` the run succeeds with that step's text as its output
   * (often empty: the model was calling tools) and `metrics.finishReason: 'tool_calls'`;
   * `record.steps` keep every step. `maxSteps` still applies. Replaces the executor's `stopWhen`.
   * @default the executor's `stopWhen` (none: the loop runs until an answer or `maxSteps`)
   * @example stopWhen: [stepCountIs(3), hasToolCall('escalate')]
   */
  stopWhen?: StopWhen;
  /** An example input, shown by the TestPanel and used by "Reset to example". */
  example?: z.input<TInputSchema>;
  /** The tenant that owns this agent; absent for agents every tenant may use. */
  tenantId?: string;
  /** Modes this agent allows. @default ['mock', 'live'] */
  modes?: readonly ExecutionMode[];
}

/** The output type of an agent: the output schema's type, or text. */
export type AgentOutput<TOutputSchema extends z.ZodType | undefined> = TOutputSchema extends z.ZodType
  ? z.output<TOutputSchema>
  : string;

/** A defined agent. The type parameters carry its id, input and output types to the executor. */
export interface AgentDefinition<
  TId extends string = string,
  TInputSchema extends z.ZodType = z.ZodType,
  TOutputSchema extends z.ZodType | undefined = z.ZodType | undefined,
  TTools extends ToolSet = ToolSet,
> extends Readonly<AgentConfig<TId, TInputSchema, TOutputSchema, AgentOutput<TOutputSchema>, TTools>> {
  readonly kind: 'agentry.agent';
  readonly modes: readonly ExecutionMode[];
}

/** Any agent, whatever its types. */
// biome-ignore lint/suspicious/noExplicitAny: the erased form must accept every agent
export type AnyAgent = AgentDefinition<string, any, any, any>;

/** The input an agent accepts before validation (defaults may be left out). */
export type AgentInput<TAgent extends AnyAgent> = z.input<TAgent['input']>;

/** The output an agent produces. */
export type AgentResultOutput<TAgent extends AnyAgent> =
  // biome-ignore lint/suspicious/noExplicitAny: matches any input schema
  TAgent extends AgentDefinition<string, any, infer TOutputSchema, any> ? AgentOutput<TOutputSchema> : unknown;

/** Checks an agent's `tools` (each from defineTool, names valid and distinct) and `maxSteps`. */
function checkTools(id: string, tools: unknown, maxSteps: unknown): void {
  if (maxSteps !== undefined && (!Number.isInteger(maxSteps) || (maxSteps as number) < 1)) {
    throw new TypeError(`defineAgent(${id}): maxSteps must be a whole number >= 1, got ${String(maxSteps)}.`);
  }
  if (tools === undefined) return;
  if (typeof tools !== 'object' || tools === null || Array.isArray(tools)) {
    throw new TypeError(
      `defineAgent(${id}): tools must be an object of tools by name: { lookupOrder: defineTool({…}) }.`,
    );
  }
  const names = new Set<string>();
  for (const [key, tool] of Object.entries(tools)) {
    if (!isTool(tool)) throw new TypeError(`defineAgent(${id}): tools.${key} must come from defineTool().`);
    const name = (tool as AnyTool).name ?? key;
    if (!isToolName(name)) {
      throw new TypeError(
        `defineAgent(${id}): tool name ${JSON.stringify(name)} is invalid. Use 1-64 letters, digits, "_" or "-" (or give the tool a name).`,
      );
    }
    if (names.has(name)) throw new TypeError(`defineAgent(${id}): two tools are named "${name}".`);
    names.add(name);
  }
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** True for a well-formed agent id: 1-64 letters, digits, `-` or `_`, starting with a letter or digit. */
export function isAgentId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/**
 * Defines an agent: its schemas, prompt, live model and mock behaviour.
 *
 * The mock's return is checked against the output schema as a literal, so
 * `mock: ({ body }) => ({ category: /invoice/.test(body) ? 'billing' : 'other' })` fits
 * `z.enum(['billing', 'bug', 'other'])` without `as const`.
 */
export function defineAgent<
  const TId extends string,
  TInputSchema extends z.ZodType,
  TOutputSchema extends z.ZodType | undefined = undefined,
  // `const`: the mock's return expression keeps its literal types (a type parameter of its own
  // is the only contextual type TypeScript does not widen against while it still infers the schema).
  const TMockOutput extends MockOutput<AgentOutput<TOutputSchema>> = MockOutput<AgentOutput<TOutputSchema>>,
  TTools extends ToolSet = ToolSet,
>(
  config: AgentConfig<TId, TInputSchema, TOutputSchema, TMockOutput, TTools>,
): AgentDefinition<TId, TInputSchema, TOutputSchema, TTools> {
  if (!isAgentId(config.id)) {
    throw new TypeError(
      `defineAgent: id ${JSON.stringify(config.id)} is invalid. Use 1-64 letters, digits, "-" or "_", starting with a letter or digit.`,
    );
  }
  if (typeof config.name !== 'string' || config.name.trim() === '') {
    throw new TypeError(`defineAgent(${config.id}): name is required.`);
  }
  if (!config.input || typeof (config.input as { safeParse?: unknown }).safeParse !== 'function') {
    throw new TypeError(`defineAgent(${config.id}): input must be a zod schema.`);
  }
  if (typeof config.prompt !== 'function') {
    throw new TypeError(`defineAgent(${config.id}): prompt must be a function of the input.`);
  }
  const providerOptions = config.model?.providerOptions;
  if (providerOptions !== undefined) {
    for (const [key, value] of Object.entries(providerOptions)) {
      if (key === 'mock') {
        throw new TypeError(
          `defineAgent(${config.id}): model.providerOptions.mock is reserved. Declare mock behaviour with the agent's \`mock\`.`,
        );
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new TypeError(
          `defineAgent(${config.id}): model.providerOptions.${key} must be an object of options for the "${key}" provider.`,
        );
      }
    }
  }
  checkTools(config.id, config.tools, config.maxSteps);
  stopConditionsOf(config.stopWhen, `defineAgent(${config.id}): stopWhen`);
  const definition = { ...config, kind: 'agentry.agent' as const, modes: config.modes ?? ['mock', 'live'] };
  // The mock was checked against the output schema (readonly allowed); the definition carries the output type.
  return Object.freeze(definition) as unknown as AgentDefinition<TId, TInputSchema, TOutputSchema, TTools>;
}
