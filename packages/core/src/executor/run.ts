import { AgentryError } from '../errors';
import { createStreamRedactor } from '../logging';
import { runAttempts } from './attempt-loop';
import { now } from './clock';
import type { Deadline } from './deadlines';
import { terminalEventOf } from './execution-events';
import type { ExecutorContext } from './executor-context';
import { finish, type RunOutcome } from './finish';
import { checkOutput } from './output-check';
import type { PreparedRun } from './prepare';
import { createRunState, type OutputSink, type RunState, runUsage } from './run-state';
import { runToolLoop } from './tool-loop';
import type { ExecutionEvent, ExecutionResult } from './types';

/** Receives a run's events as they happen (the `stream()` queue); absent for `execute()`. */
export type Emit = (event: ExecutionEvent) => void;

/**
 * The run's deadline: aborts the run's controller with `timeout` after the mode's `totalMs`
 * (cancels reach the same controller through the lease), from the mode's one queue of deadlines.
 */
function armDeadline(context: ExecutorContext, prepared: PreparedRun, state: RunState): Deadline | undefined {
  const totalMs = context.policy.timeouts[prepared.mode].totalMs;
  if (totalMs === undefined) return undefined;
  const { controller } = prepared;
  return context.deadlines(totalMs).arm(() =>
    controller.abort(
      new AgentryError('timeout', `The execution did not finish within ${totalMs} ms.`, {
        executionId: state.executionId,
        provider: prepared.provider.id,
        limit: { kind: 'total_time', value: totalMs, unit: 'ms' },
      }),
    ),
  );
}

/**
 * Runs a prepared request to its one final record: start event, attempts (with retries),
 * output check, record, store, log, final event. Never throws.
 */
export async function run(
  context: ExecutorContext,
  prepared: PreparedRun,
  emit: Emit | undefined,
): Promise<ExecutionResult> {
  const { agent, tenant, provider, mode, controller } = prepared;
  const state = createRunState(prepared.executionId, prepared.model, now(), prepared.startedAt);
  const executionId = state.executionId;
  const deadline = armDeadline(context, prepared, state);
  // Every run's events go to its log, where a reader may follow them from any instance.
  const send = (event: ExecutionEvent) => {
    prepared.lease.log(event);
    emit?.(event);
    context.emitTelemetry(event, tenant);
  };
  send({
    type: 'execution-start',
    executionId,
    agentId: agent.id,
    mode,
    requestedMode: prepared.requestedMode,
    provider: provider.id,
    model: prepared.model,
    startedAt: state.startedAt,
  });

  // The output is redacted as one text, not chunk by chunk: a key split across deltas is still
  // a key. Deltas carry what is safe to release; the held tail goes out before the run ends.
  const deltas = emit ? createStreamRedactor(context.redactor) : undefined;
  const sendDelta = (delta: string) => {
    if (delta !== '') send({ type: 'output-delta', executionId, delta });
  };
  // Usage that arrives while text is held waits for it, so deltas still come before usage.
  let heldUsage = false;
  const sink: OutputSink = {
    text(delta, whole) {
      if (deltas) sendDelta(whole ? deltas.push(delta) + deltas.flush() : deltas.push(delta));
    },
    usage() {
      heldUsage = deltas !== undefined && deltas.held > 0;
      if (!heldUsage) send({ type: 'usage', executionId, usage: runUsage(state) });
    },
    serviceStep(event) {
      // Redacted once, under this run's id: what the record keeps is what the caller sees.
      const safe = context.redactor.redactValue({ ...event, executionId });
      if (safe.type === 'step-finish') {
        state.steps ??= [];
        state.steps.push(safe.step);
      }
      // The service's text so far goes out before its step event.
      if (deltas) sendDelta(deltas.flush());
      send(safe);
    },
  };
  const streaming = emit !== undefined && typeof provider.stream === 'function';
  const failure =
    prepared.tools === undefined
      ? await runAttempts(context, prepared, state, sink, controller, streaming)
      : await runToolLoop(context, prepared, prepared.tools, state, sink, controller, streaming, {
          send,
          flushText() {
            if (deltas) sendDelta(deltas.flush());
            if (heldUsage) {
              heldUsage = false;
              send({ type: 'usage', executionId, usage: runUsage(state) });
            }
          },
        });
  deadline?.disarm();
  if (deltas) sendDelta(deltas.flush());
  if (heldUsage) send({ type: 'usage', executionId, usage: runUsage(state) });

  const outcome: RunOutcome =
    failure !== undefined
      ? { failure }
      : agent.output === undefined
        ? { output: state.text } // what checkOutput answers without an output schema, without its promise
        : await checkOutput({
            agent,
            text: state.text,
            object: state.object,
            finishReason: state.finishReason,
            executionId,
            providerId: provider.id,
            maxDepth: context.policy.maxDepth,
          });
  // The record must not be readable before the events it ends: a reader on another instance that
  // finds a record but no log takes the log for expired and skips to the final event.
  const logging = prepared.lease.logged();
  if (logging !== undefined) await logging;
  const finishing = finish(context, prepared, state, outcome);
  const result = finishing instanceof Promise ? await finishing : finishing;
  send(terminalEventOf(result));
  return result;
}
