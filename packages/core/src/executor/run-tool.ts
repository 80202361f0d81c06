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
import { issuesSummary, safeParseCatching } from './safe-parse';
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

function parseArgs(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text === '' ? '{}' : text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Checks one call the model made: a tool offered in this mode, arguments that are JSON and
 * match its schema (defaults applied). An invalid call is answered with a `tool_call_invalid`
 * result the model sees, so it can repair it; it never throws.
 */
export async function checkCall(scope: ToolRunScope, tools: AgentTools, call: ProviderToolCall): Promise<CheckedCall> {
  const { redactor } = scope.context;
  const parsed = parseArgs(call.argsText);
  const tool = tools.byName.get(call.name);
  let problem: string;
  let issues: AgentryError['issues'];
  if (tool === undefined) {
    const known = [...tools.byName.keys()].map((name) => `"${name}"`).join(', ');
    problem = `There is no tool "${call.name}". Call one of: ${known || '(none)'}.`;
  } else if (!parsed.ok) {
    problem = `The arguments of tool "${call.name}" are not JSON (${parsed.message}). Send a JSON object.`;
  } else {
    const checked = await safeParseCatching(tool.input, parsed.value);
    if (!('thrown' in checked) && checked.success) {
      const record = { id: call.id, name: call.name, args: redactor.redactValue(checked.data) };
      return { valid: true, call, tool, args: checked.data, record };
    }
    if ('thrown' in checked) {
      scope.context.report.log('tool.input', checked.thrown, logFields(scope, call.name));
      problem = `The arguments of tool "${call.name}" could not be checked.`;
    } else {
      issues = toValidationIssues(checked.error.issues);
      problem = `Invalid arguments for tool "${call.name}": ${issuesSummary(issues)}.`;
    }
  }
  const sent = parsed.ok ? parsed.value : call.argsText;
  return {
    valid: false,
    call,
    record: { id: call.id, name: call.name, args: redactor.redactValue(sent) },
    error: new AgentryError('tool_call_invalid', problem, issues === undefined ? {} : { issues }),
  };
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

/**
 * Runs a checked call: the tool's `mock` in mock mode when it has one, else `execute`, retried
 * only when the tool opts in. Never throws: a tool's `AgentryError` keeps its code and words
 * (redacted); anything else is `tool_failed` in Agentry's words, its own words only in the log.
 * A call cut short by the step's signal ends with the signal's reason (cancel or timeout).
 */
export async function runCheckedCall(scope: ToolRunScope, checked: CheckedCall): Promise<ToolCallOutcome> {
  const started = now();
  const { call } = checked;
  if (!checked.valid) return failedOutcome(scope, call, checked.error, started);
  const { tool } = checked;
  const { context, abort } = scope;
  // The log fields are built when something is logged (most calls log nothing).
  let logged: LogFields | undefined;
  const fields = () => {
    logged ??= logFields(scope, call.name);
    return logged;
  };
  const toolContext = Object.freeze(
    Object.defineProperty(
      {
        tenant: scope.tenant,
        executionId: scope.executionId,
        mode: scope.mode,
        // Nothing is logged without a logger: no wrapper to build.
        logger: context.logger === silentLogger ? silentLogger : toolLogger(context.logger, fields()),
        [abortOf]: abort,
      },
      'signal',
      SIGNAL_PROPERTY,
    ),
  ) as unknown as ToolContext;
  const run = scope.mode === 'mock' && tool.mock !== undefined ? tool.mock : tool.execute;
  const retries = tool.retry?.maxRetries ?? 0;
  let output: unknown;
  for (let attempt = 0; ; attempt += 1) {
    try {
      if (abort.aborted) throw abort.reason;
      const returned: unknown = run.call(tool, checked.args, toolContext);
      // A tool that ignores its signal must not hold the run: the step ends at the abort. A
      // synchronous tool has nothing to wait for, so no race (and no listener) is set up.
      output = isThenable(returned) ? await Promise.race([returned, abort.whenAborted()]) : returned;
      break;
    } catch (thrown) {
      if (abort.aborted) {
        const reason: unknown = abort.reason;
        return failedOutcome(
          scope,
          call,
          isAgentryError(reason) ? reason : new AgentryError('cancelled', 'The tool call was cancelled.'),
          started,
        );
      }
      if (attempt < retries) {
        context.logger.info('agentry.tool.retry', { ...fields(), attempt: attempt + 1 });
        try {
          await delay(tool.retry?.delayMs ?? 0, abort.signal);
        } catch {
          // The abort is answered on the next pass.
        }
        continue;
      }
      if (isTrustedError(thrown)) return failedOutcome(scope, call, thrown, started);
      context.report.log('tool.execute', thrown, fields());
      return failedOutcome(
        scope,
        call,
        new AgentryError(
          'tool_failed',
          `The tool "${call.name}" failed with an unexpected error; the details are in the server log.`,
        ),
        started,
      );
    }
  }
  if (tool.output !== undefined) {
    const checkedOutput = await safeParseCatching(tool.output, output);
    if ('thrown' in checkedOutput || !checkedOutput.success) {
      context.report.log(
        'tool.output',
        'thrown' in checkedOutput ? checkedOutput.thrown : checkedOutput.error,
        fields(),
      );
      return failedOutcome(
        scope,
        call,
        new AgentryError(
          'tool_failed',
          `The result of tool "${call.name}" does not match its output schema; the details are in the server log.`,
        ),
        started,
      );
    }
    output = checkedOutput.data;
  }
  // Redacted once: what the model, the events and the record get is the same safe value.
  const safe = output === undefined ? null : context.redactor.redactValue(output);
  let content: string;
  try {
    content = JSON.stringify(safe);
  } catch (thrown) {
    context.report.log('tool.output', thrown, fields());
    return failedOutcome(
      scope,
      call,
      new AgentryError(
        'tool_failed',
        `The result of tool "${call.name}" is not JSON data; the details are in the server log.`,
      ),
      started,
    );
  }
  return {
    result: { id: call.id, name: call.name, durationMs: round(now() - started), status: 'succeeded', output: safe },
    message: { role: 'tool', toolCallId: call.id, toolName: call.name, content },
  };
}
