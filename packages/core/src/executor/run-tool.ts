import type { ExecutionMode } from '../agent';
import { AgentryError, isAgentryError, serializeError } from '../errors';
import { delay } from '../internal/delay';
import { type LogFields, type Logger, silentLogger } from '../logging';
import type { ProviderToolCall, ProviderToolResultMessage } from '../providers';
import type { TenantContext } from '../tenant';
import type { AnyTool, ToolContext } from '../tools';
import { toValidationIssues } from '../validation';
import type { AgentTools } from './agent-tools';
import { now } from './clock';
import type { ExecutorContext } from './executor-context';
import type { RunAbort } from './run-abort';
import { issuesSummary, safeParse } from './safe-parse';
import type { ToolCallRecord, ToolResultRecord } from './types';
import { isTrustedError } from './user-code';

const round = (ms: number) => Math.round(ms * 1000) / 1000;

// The tool's `signal` is made when the tool reads it (most tools never do). An own, enumerable
// getter (tools see it like any other field), shared by every context, reading the step's
// abort from a symbol key: a getter closing over each call would give every context its own
// hidden class, which outlives the call and costs an old-generation collection.
const abortOf = Symbol('abort');
function signalOf(this: { [abortOf]: RunAbort }): AbortSignal {
  return this[abortOf].signal;
}
const SIGNAL_PROPERTY: PropertyDescriptor = { get: signalOf, enumerable: true };

/** A model's tool call, checked: the tool and its validated arguments, or why the call is invalid. */
export type CheckedCall =
  | { valid: true; call: ProviderToolCall; tool: AnyTool; args: unknown; record: ToolCallRecord }
  | { valid: false; call: ProviderToolCall; error: AgentryError; record: ToolCallRecord };

/** What the run knows that a tool may see: never more (no other tenant, no executor). */
export interface ToolRunScope {
  context: ExecutorContext;
  tenant: TenantContext;
  executionId: string;
  agentId: string;
  mode: ExecutionMode;
  /** The step's abort: cancel, the step's and the run's deadlines. */
  abort: RunAbort;
}

/** A value or its promise: the tool path stays synchronous while the tool and its schemas are. */
export type MaybePromise<T> = T | Promise<T>;

function invalidCall(
  scope: ToolRunScope,
  call: ProviderToolCall,
  sent: unknown,
  problem: string,
  issues?: AgentryError['issues'],
): CheckedCall {
  return {
    valid: false,
    call,
    record: { id: call.id, name: call.name, args: scope.context.redactor.redactValue(sent) },
    error: new AgentryError('tool_call_invalid', problem, issues === undefined ? {} : { issues }),
  };
}

/** The call checked against the outcome of its schema's parse (or what the schema threw). */
function checkedBy(
  scope: ToolRunScope,
  call: ProviderToolCall,
  tool: AnyTool,
  args: unknown,
  checked: ReturnType<AnyTool['input']['safeParse']> | { thrown: unknown },
): CheckedCall {
  if (!('thrown' in checked) && checked.success) {
    const record = { id: call.id, name: call.name, args: scope.context.redactor.redactValue(checked.data) };
    return { valid: true, call, tool, args: checked.data, record };
  }
  if ('thrown' in checked) {
    scope.context.report.log('tool.input', checked.thrown, logFields(scope, call.name));
    return invalidCall(scope, call, args, `The arguments of tool "${call.name}" could not be checked.`);
  }
  const issues = toValidationIssues(checked.error.issues);
  return invalidCall(scope, call, args, `Invalid arguments for tool "${call.name}": ${issuesSummary(issues)}.`, issues);
}

/**
 * Checks one call the model made: a tool offered in this mode, arguments that are JSON and
 * match its schema (defaults applied). An invalid call is answered with a `tool_call_invalid`
 * result the model sees, so it can repair it; it never throws (nor rejects). Synchronous unless
 * the schema parses asynchronously.
 */
export function checkCall(scope: ToolRunScope, tools: AgentTools, call: ProviderToolCall): MaybePromise<CheckedCall> {
  let args: unknown;
  let parseError: unknown;
  try {
    args = JSON.parse(call.argsText === '' ? '{}' : call.argsText);
  } catch (error) {
    parseError = error;
  }
  const tool = tools.byName.get(call.name);
  const sent = parseError === undefined ? args : call.argsText;
  if (tool === undefined) {
    const known = [...tools.byName.keys()].map((name) => `"${name}"`).join(', ');
    return invalidCall(scope, call, sent, `There is no tool "${call.name}". Call one of: ${known || '(none)'}.`);
  }
  if (parseError !== undefined) {
    const message = parseError instanceof Error ? parseError.message : String(parseError);
    return invalidCall(
      scope,
      call,
      sent,
      `The arguments of tool "${call.name}" are not JSON (${message}). Send a JSON object.`,
    );
  }
  let parsed: ReturnType<typeof safeParse>;
  try {
    parsed = safeParse(tool.input, args);
  } catch (thrown) {
    return checkedBy(scope, call, tool, args, { thrown });
  }
  if (parsed instanceof Promise) {
    return parsed.then(
      (result) => checkedBy(scope, call, tool, args, result),
      (thrown: unknown) => checkedBy(scope, call, tool, args, { thrown }),
    );
  }
  return checkedBy(scope, call, tool, args, parsed);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function logFields(scope: ToolRunScope, tool: string): LogFields {
  return {
    tenant_id: scope.tenant.tenantId,
    agent_id: scope.agentId,
    execution_id: scope.executionId,
    tool,
  };
}

/** The run's logger with the tool's fields on every line. */
function toolLogger(logger: Logger, fields: LogFields): Logger {
  return {
    debug: (event, more) => logger.debug(event, { ...fields, ...more }),
    info: (event, more) => logger.info(event, { ...fields, ...more }),
    warn: (event, more) => logger.warn(event, { ...fields, ...more }),
    error: (event, more) => logger.error(event, { ...fields, ...more }),
  };
}

/** One tool call's outcome: the record, and the message the model gets on the next step. */
export interface ToolCallOutcome {
  result: ToolResultRecord;
  message: ProviderToolResultMessage;
}

function failedOutcome(
  scope: ToolRunScope,
  call: ProviderToolCall,
  error: AgentryError,
  started: number,
): ToolCallOutcome {
  const redacted = serializeError(scope.context.redactError(error));
  return {
    result: { id: call.id, name: call.name, durationMs: round(now() - started), status: 'failed', error: redacted },
    message: {
      role: 'tool',
      toolCallId: call.id,
      toolName: call.name,
      content: JSON.stringify({ error: { code: redacted.code, message: redacted.message } }),
      isError: true,
    },
  };
}

/** A valid call being run: its attempts, its log fields (made when something is logged) and its outcome. */
class ToolCallRun {
  readonly #scope: ToolRunScope;
  readonly #call: ProviderToolCall;
  readonly #tool: AnyTool;
  readonly #args: unknown;
  readonly #started: number;
  readonly #context: ToolContext;
  #logged: LogFields | undefined = undefined;

  constructor(scope: ToolRunScope, checked: Extract<CheckedCall, { valid: true }>, started: number) {
    this.#scope = scope;
    this.#call = checked.call;
    this.#tool = checked.tool;
    this.#args = checked.args;
    this.#started = started;
    const { logger } = scope.context;
    this.#context = Object.freeze(
      Object.defineProperty(
        {
          tenant: scope.tenant,
          executionId: scope.executionId,
          mode: scope.mode,
          // Nothing is logged without a logger: no wrapper to build.
          logger: logger === silentLogger ? silentLogger : toolLogger(logger, this.#fields()),
          [abortOf]: scope.abort,
        },
        'signal',
        SIGNAL_PROPERTY,
      ),
    ) as unknown as ToolContext;
  }

  #fields(): LogFields {
    this.#logged ??= logFields(this.#scope, this.#call.name);
    return this.#logged;
  }

  #failed(error: AgentryError): ToolCallOutcome {
    return failedOutcome(this.#scope, this.#call, error, this.#started);
  }

  /** Attempt number `attempt` (from 0). Synchronous while the tool answers synchronously. */
  attempt(attempt: number): MaybePromise<ToolCallOutcome> {
    const tool = this.#tool;
    const { abort } = this.#scope;
    let returned: unknown;
    try {
      if (abort.aborted) throw abort.reason;
      const run = this.#scope.mode === 'mock' && tool.mock !== undefined ? tool.mock : tool.execute;
      returned = run.call(tool, this.#args, this.#context);
    } catch (thrown) {
      return this.#threw(thrown, attempt);
    }
    // A tool that ignores its signal must not hold the run: the step ends at the abort. A
    // synchronous tool has nothing to wait for, so no race (and no listener) is set up.
    if (!isThenable(returned)) return this.#output(returned);
    return Promise.race([returned, abort.whenAborted()]).then(
      (output) => this.#output(output),
      (thrown: unknown) => this.#threw(thrown, attempt),
    );
  }

  #threw(thrown: unknown, attempt: number): MaybePromise<ToolCallOutcome> {
    const { abort, context } = this.#scope;
    if (abort.aborted) {
      const reason: unknown = abort.reason;
      return this.#failed(
        isAgentryError(reason) ? reason : new AgentryError('cancelled', 'The tool call was cancelled.'),
      );
    }
    if (attempt < (this.#tool.retry?.maxRetries ?? 0)) return this.#retry(attempt);
    if (isTrustedError(thrown)) return this.#failed(thrown);
    context.report.log('tool.execute', thrown, this.#fields());
    return this.#failed(
      new AgentryError(
        'tool_failed',
        `The tool "${this.#call.name}" failed with an unexpected error; the details are in the server log.`,
      ),
    );
  }

  async #retry(attempt: number): Promise<ToolCallOutcome> {
    this.#scope.context.logger.info('agentry.tool.retry', { ...this.#fields(), attempt: attempt + 1 });
    try {
      await delay(this.#tool.retry?.delayMs ?? 0, this.#scope.abort.signal);
    } catch {
      // The abort is answered on the next pass.
    }
    return this.attempt(attempt + 1);
  }

  #output(output: unknown): MaybePromise<ToolCallOutcome> {
    const schema = this.#tool.output;
    if (schema === undefined) return this.#succeeded(output);
    let parsed: ReturnType<typeof safeParse>;
    try {
      parsed = safeParse(schema, output);
    } catch (thrown) {
      return this.#checkedOutput({ thrown });
    }
    if (parsed instanceof Promise) {
      return parsed.then(
        (result) => this.#checkedOutput(result),
        (thrown: unknown) => this.#checkedOutput({ thrown }),
      );
    }
    return this.#checkedOutput(parsed);
  }

  #checkedOutput(checked: ReturnType<AnyTool['input']['safeParse']> | { thrown: unknown }): ToolCallOutcome {
    if ('thrown' in checked || !checked.success) {
      this.#scope.context.report.log(
        'tool.output',
        'thrown' in checked ? checked.thrown : checked.error,
        this.#fields(),
      );
      return this.#failed(
        new AgentryError(
          'tool_failed',
          `The result of tool "${this.#call.name}" does not match its output schema; the details are in the server log.`,
        ),
      );
    }
    return this.#succeeded(checked.data);
  }

  #succeeded(output: unknown): ToolCallOutcome {
    const { context } = this.#scope;
    const call = this.#call;
    // Redacted once: what the model, the events and the record get is the same safe value.
    const safe = output === undefined ? null : context.redactor.redactValue(output);
    let content: string;
    try {
      content = JSON.stringify(safe);
    } catch (thrown) {
      context.report.log('tool.output', thrown, this.#fields());
      return this.#failed(
        new AgentryError(
          'tool_failed',
          `The result of tool "${call.name}" is not JSON data; the details are in the server log.`,
        ),
      );
    }
    return {
      result: {
        id: call.id,
        name: call.name,
        durationMs: round(now() - this.#started),
        status: 'succeeded',
        output: safe,
      },
      message: { role: 'tool', toolCallId: call.id, toolName: call.name, content },
    };
  }
}

/**
 * Runs a checked call: the tool's `mock` in mock mode when it has one, else `execute`, retried
 * only when the tool opts in. Never throws (nor rejects): a tool's `AgentryError` keeps its code
 * and words (redacted); anything else is `tool_failed` in Agentry's words, its own words only in
 * the log. A call cut short by the step's signal ends with the signal's reason (cancel or
 * timeout). Synchronous, with no promise made, while the tool and its output schema are.
 */
export function runCheckedCall(scope: ToolRunScope, checked: CheckedCall): MaybePromise<ToolCallOutcome> {
  const started = now();
  if (!checked.valid) return failedOutcome(scope, checked.call, checked.error, started);
  return new ToolCallRun(scope, checked, started).attempt(0);
}
