import { AgentryError } from '../errors';
import { createStreamRedactor, type StreamRedactor } from '../logging';
import type { StepEvent } from '../protocol';
import { type AttemptsOutcome, runAttempts } from './attempt-loop';
import { now } from './clock';
import type { Deadline } from './deadlines';
import { terminalEventOf } from './execution-events';
import type { ExecutorContext } from './executor-context';
import { finish, type RunOutcome } from './finish';
import { checkOutput } from './output-check';
import type { PreparedRun } from './prepare';
import { createRunState, type OutputSink, type RunState, runUsage } from './run-state';
import { type LoopIo, runToolLoop } from './tool-loop';
import type { ExecutionEvent, ExecutionResult } from './types';

/** Receives a run's events as they happen (the `stream()` queue); absent for `execute()`. */
export type Emit = (event: ExecutionEvent) => void;

/**
 * Runs a prepared request to its one final record: start event, attempts (with retries),
 * output check, record, store, log, final event. Never throws.
 *
 * Synchronous while every step answers at once (the mock in one process: no promise at all);
 * a step that answers a promise (a live call, a stream, an output schema, a remote store)
 * continues the run from there when it settles.
 */
export function run(
  context: ExecutorContext,
  prepared: PreparedRun,
  emit: Emit | undefined,
): ExecutionResult | Promise<ExecutionResult> {
  return new Run(context, prepared, emit).start();
}

/** One run's pipeline, its steps in order (each continues the run, at once or when its promise settles). */
class Run implements OutputSink {
  readonly state: RunState;
  readonly #context: ExecutorContext;
  readonly #prepared: PreparedRun;
  readonly #emit: Emit | undefined;
  /** Armed once the attempts wait on something (see `start`). */
  #deadline: Deadline | undefined = undefined;
  /**
   * The output is redacted as one text, not chunk by chunk: a key split across deltas is still
   * a key. Deltas carry what is safe to release; the held tail goes out before the run ends.
   */
  readonly #deltas: StreamRedactor | undefined;
  /** Usage that arrives while text is held waits for it, so deltas still come before usage. */
  #heldUsage = false;
  /**
   * Text known clean before it streams (see `textAhead`), and how much of it was sent: its
   * deltas go out as they are, without the stream redactor.
   */
  #clean: string | undefined = undefined;
  #cleanSent = 0;

  constructor(context: ExecutorContext, prepared: PreparedRun, emit: Emit | undefined) {
    this.#context = context;
    this.#prepared = prepared;
    this.#emit = emit;
    this.state = createRunState(prepared.executionId, prepared.model, now(), prepared.startedAt);
    this.#deltas = emit ? createStreamRedactor(context.redactor) : undefined;
  }

  /** Every run's events go to its log, where a reader may follow them from any instance. */
  send(event: ExecutionEvent): void {
    this.#prepared.lease.log(event);
    this.#emit?.(event);
    this.#context.emitTelemetry(event, this.#prepared.tenant);
  }

  start(): ExecutionResult | Promise<ExecutionResult> {
    const prepared = this.#prepared;
    const { state } = this;
    this.send({
      type: 'execution-start',
      executionId: state.executionId,
      agentId: prepared.agent.id,
      mode: prepared.mode,
      requestedMode: prepared.requestedMode,
      provider: prepared.provider.id,
      model: prepared.model,
      startedAt: state.startedAt,
    });
    const streaming = this.#emit !== undefined && typeof prepared.provider.stream === 'function';
    const attempts =
      prepared.tools === undefined
        ? runAttempts(this.#context, prepared, state, this, prepared.controller, streaming)
        : runToolLoop(
            this.#context,
            prepared,
            prepared.tools,
            state,
            this,
            prepared.controller,
            streaming,
            this.#loopIo(),
          );
    if (!(attempts instanceof Promise)) return this.#checked(attempts);
    // Only now: no timer fires while the attempts run synchronously (a mock in one process),
    // so a run that finished without waiting never needed its deadline. Counted from the start.
    this.#deadline = this.#armDeadline();
    return attempts.then((failure) => this.#checked(failure));
  }

  // The output sink: what the attempts feed in.

  text(delta: string, whole: boolean): void {
    const deltas = this.#deltas;
    if (deltas === undefined) return;
    const clean = this.#clean;
    if (clean !== undefined) {
      if (clean.startsWith(delta, this.#cleanSent)) {
        this.#cleanSent += delta.length;
        // All of it sent: the state's text (the deltas joined, a chain of pieces) is this text;
        // keeping the announced string itself spares the record's redaction and the log's
        // comparison a copy of the chain into one string.
        if (this.#cleanSent === clean.length && this.state.text.length === clean.length) this.state.text = clean;
        this.#sendDelta(delta);
        return;
      }
      this.#clean = undefined; // not the text announced: the stream redactor takes over
    }
    this.#sendDelta(whole ? deltas.push(delta) + deltas.flush() : deltas.push(delta));
  }

  /**
   * A run's whole text, known before its first delta (a mock's answer, no tools to add more):
   * redacted once as one text. When nothing in it is a secret, its deltas go out as the provider
   * cut them; the stream redactor (the same text chunk by chunk) would have sent the same text.
   */
  textAhead(text: string): void {
    if (this.#deltas === undefined || this.#prepared.tools !== undefined || this.state.text !== '') return;
    if (this.#deltas.held === 0 && this.#context.redactor.redactString(text) === text) this.#clean = text;
  }

  usage(): void {
    this.#heldUsage = this.#deltas !== undefined && this.#deltas.held > 0;
    if (!this.#heldUsage) this.#sendUsage();
  }

  serviceStep(event: StepEvent): void {
    const { state } = this;
    // Redacted once, under this run's id: what the record keeps is what the caller sees.
    const safe = this.#context.redactor.redactValue({ ...event, executionId: state.executionId });
    if (safe.type === 'step-finish') {
      state.steps ??= [];
      state.steps.push(safe.step);
    }
    // The service's text so far goes out before its step event.
    this.#flushText();
    this.send(safe);
  }

  /** The attempts are over: release the held text, then check the output. */
  #checked(failure: AttemptsOutcome): ExecutionResult | Promise<ExecutionResult> {
    this.#deadline?.disarm();
    this.#flushText();
    if (this.#heldUsage) this.#sendUsage();
    if (failure !== undefined) return this.#logged({ failure });
    const { agent, provider } = this.#prepared;
    // What checkOutput answers without an output schema, without its promise.
    if (agent.output === undefined) return this.#logged({ output: this.state.text });
    const { state } = this;
    return checkOutput({
      agent,
      text: state.text,
      object: state.object,
      finishReason: state.finishReason,
      executionId: state.executionId,
      providerId: provider.id,
      maxDepth: this.#context.policy.maxDepth,
    }).then((outcome) => this.#logged(outcome));
  }

  /**
   * The record must not be readable before the events it ends: a reader on another instance that
   * finds a record but no log takes the log for expired and skips to the final event.
   */
  #logged(outcome: RunOutcome): ExecutionResult | Promise<ExecutionResult> {
    const logging = this.#prepared.lease.logged();
    return logging === undefined ? this.#finish(outcome) : logging.then(() => this.#finish(outcome));
  }

  #finish(outcome: RunOutcome): ExecutionResult | Promise<ExecutionResult> {
    const finishing = finish(this.#context, this.#prepared, this.state, outcome);
    return finishing instanceof Promise ? finishing.then((result) => this.#end(result)) : this.#end(finishing);
  }

  #end(result: ExecutionResult): ExecutionResult {
    this.send(terminalEventOf(result));
    return result;
  }

  #sendDelta(delta: string): void {
    if (delta !== '') this.send({ type: 'output-delta', executionId: this.state.executionId, delta });
  }

  #sendUsage(): void {
    this.send({ type: 'usage', executionId: this.state.executionId, usage: runUsage(this.state) });
  }

  #flushText(): void {
    if (this.#deltas) this.#sendDelta(this.#deltas.flush());
  }

  /** The tool loop's view of the run: where its step events go, and the held text released before them. */
  #loopIo(): LoopIo {
    return {
      send: (event) => this.send(event),
      flushText: () => {
        this.#flushText();
        if (this.#heldUsage) {
          this.#heldUsage = false;
          this.#sendUsage();
        }
      },
    };
  }

  /**
   * The run's deadline: aborts the run's controller with `timeout` after the mode's `totalMs`
   * (cancels reach the same controller through the lease), from the mode's one queue of deadlines.
   */
  #armDeadline(): Deadline | undefined {
    const prepared = this.#prepared;
    const totalMs = this.#context.policy.timeouts[prepared.mode].totalMs;
    if (totalMs === undefined) return undefined;
    const { controller } = prepared;
    const executionId = this.state.executionId;
    return this.#context.deadlines(totalMs).arm(
      () =>
        controller.abort(
          new AgentryError('timeout', `The execution did not finish within ${totalMs} ms.`, {
            executionId,
            provider: prepared.provider.id,
            limit: { kind: 'total_time', value: totalMs, unit: 'ms' },
          }),
        ),
      this.state.start,
    );
  }
}
