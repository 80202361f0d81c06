import type { z } from 'zod';
import type { TenantContext } from '../tenant';

/** One chat message sent to a model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The two ways to run an agent. */
export type ExecutionMode = 'mock' | 'live';

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

/** Deterministic helpers handed to a mock function. */
export interface MockContext {
  /** The seed in force (the provider's seed mixed with the agent id and input). */
  seed: number;
  /** A seeded pseudo-random number in [0, 1): same agent, input and seed give the same sequence. */
  random(): number;
  /** Picks one item with the seeded generator. */
  pick<T>(items: readonly T[]): T;
  /** The tenant the run is for. */
  tenant: TenantContext;
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
 * - `{ stream }`: a scripted stream of text chunks (for text agents; the chunks joined are the output).
 */
export type AgentMock<TInput, TOutput> =
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
  mock?: AgentMock<z.output<TInputSchema>, TMockOutput>;
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
> extends Readonly<AgentConfig<TId, TInputSchema, TOutputSchema>> {
  readonly kind: 'agentry.agent';
  readonly modes: readonly ExecutionMode[];
}

/** Any agent, whatever its types. */
// biome-ignore lint/suspicious/noExplicitAny: the erased form must accept every agent
export type AnyAgent = AgentDefinition<string, any, any>;

/** The input an agent accepts before validation (defaults may be left out). */
export type AgentInput<TAgent extends AnyAgent> = z.input<TAgent['input']>;

/** The output an agent produces. */
export type AgentResultOutput<TAgent extends AnyAgent> =
  // biome-ignore lint/suspicious/noExplicitAny: matches any input schema
  TAgent extends AgentDefinition<string, any, infer TOutputSchema> ? AgentOutput<TOutputSchema> : unknown;

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
>(
  config: AgentConfig<TId, TInputSchema, TOutputSchema, TMockOutput>,
): AgentDefinition<TId, TInputSchema, TOutputSchema> {
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
  const definition = { ...config, kind: 'agentry.agent' as const, modes: config.modes ?? ['mock', 'live'] };
  // The mock was checked against the output schema (readonly allowed); the definition carries the output type.
  return Object.freeze(definition) as unknown as AgentDefinition<TId, TInputSchema, TOutputSchema>;
}
