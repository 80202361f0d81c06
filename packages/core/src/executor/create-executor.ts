import type { AnyAgent, ChatMessage, ExecutionMode } from '../agent';
import {
  AgentryError,
  cloneError,
  isAgentryError,
  type SerializedAgentryError,
  serializeError,
  toAgentryError,
  type ValidationIssue,
} from '../errors';
import { delay, raceAbort } from '../internal/delay';
import { errorKind, logUnexpectedError } from '../internal/unexpected-error';
import { createRedactor, createStreamRedactor, type Logger, redactingLogger, silentLogger } from '../logging';
import { isSecret } from '../logging/secret';
import { DEFAULT_PRICING, type ExecutionMetrics, estimateCost, type PricingTable, type Usage } from '../metrics';
import { mergeUsage, unknownUsage } from '../metrics/usage';
import type { FinishReason, ProviderAdapter, ProviderContext, ProviderEvent, ProviderRequest } from '../providers';
import { mockProvider } from '../providers/mock';
import { createMemoryStore } from '../store';
import { assertTenant, type TenantContext } from '../tenant';
import { toValidationIssues } from '../validation';
import { inputShapeError, outputShapeProblem } from '../validation/json-depth';
import { createAgentCatalog } from './agent-catalog';
import { buildPrompt } from './build-prompt';
import { describeAgent, outputJsonSchema } from './describe-agent';
import { type LiveAvailability, liveAvailability } from './live-availability';
import { backoffDelay, type ResolvedPolicy, resolvePolicy } from './policy';
import type {
  AgentService,
  ExecuteOptions,
  ExecutionEvent,
  ExecutionResult,
  Executor,
  ExecutorOptions,
  HealthReport,
  RunOptions,
  TenantExecutor,
} from './types';
import {
  callUserCode,
  createUserCodeReporter,
  fromUserCode,
  isTrustedError,
  isUserCodeFailure,
  seeServerLog,
} from './user-code';

/** A request that passed every check and holds a concurrency slot. */
interface PreparedRun {
  agent: AnyAgent;
  tenant: TenantContext;
  input: unknown;
  mode: ExecutionMode;
  requestedMode: ExecutionMode;
  provider: ProviderAdapter;
  model: string;
  messages: ChatMessage[];
  /** The output's JSON Schema, computed before the run (converting it runs the agent's schema code). */
  outputSchema: Record<string, unknown> | undefined;
  seed: number | undefined;
  signal: AbortSignal | undefined;
}

type Emit = (event: ExecutionEvent) => void;

const encoder = new TextEncoder();

function newExecutionId(): string {
  return `exe_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
}

function now(): number {
  return globalThis.performance.now();
}

function issuesSummary(issues: ValidationIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Parses a model's JSON text, tolerating a Markdown code fence around it. */
function parseModelJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced?.[1] ?? text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Creates an executor: every mode runs one pipeline — resolve agent → tenant guard →
 * validate input → limits → provider → validate output → metrics → store → log.
 */
export function createExecutor<const TAgents extends readonly AnyAgent[] = readonly AnyAgent[]>(
  options: ExecutorOptions<TAgents> = {},
): Executor<TAgents> {
  const agentsById = new Map<string, AnyAgent>();
  for (const agent of options.agents ?? []) {
    if (agent?.kind !== 'agentry.agent') {
      throw new TypeError('createExecutor: every entry of `agents` must come from defineAgent().');
    }
    if (agentsById.has(agent.id)) throw new TypeError(`createExecutor: two agents share the id "${agent.id}".`);
    agentsById.set(agent.id, agent);
  }
  const providers: Record<string, ProviderAdapter> = { mock: mockProvider(), ...options.providers };
  for (const [key, provider] of Object.entries(providers)) {
    if (typeof provider?.execute !== 'function') {
      throw new TypeError(`createExecutor: providers.${key} is not a provider (it needs an execute() method).`);
    }
  }
  for (const agent of agentsById.values()) {
    const problem = agent.model ? providers[agent.model.provider]?.checkAgent?.(agent) : undefined;
    if (problem) throw new TypeError(`createExecutor: ${problem}`);
  }
  const policy: ResolvedPolicy = resolvePolicy(options.limits);
  const redactor = createRedactor(options.secrets ?? []);
  for (const provider of Object.values(providers)) {
    if (provider.secrets) redactor.addSecrets(provider.secrets.filter(isSecret));
  }
  // Redacting costs a deep copy per line: skip it when nothing is logged.
  const logger: Logger = options.logger ? redactingLogger(options.logger, redactor) : silentLogger;
  const store = options.store ?? createMemoryStore();
  const pricing: PricingTable = options.pricing ? { ...DEFAULT_PRICING, ...options.pricing } : DEFAULT_PRICING;
  const generateId = options.generateId ?? newExecutionId;
  const liveReason = options.live?.reason ?? 'Live mode is disabled by the operator.';
  const running = new Map<string, number>();

  /** The kill switch for this tenant. A `live.enabled` function that throws is a `userCodeFailure`. */
  function isLiveEnabled(tenant: TenantContext): boolean {
    const enabled = options.live?.enabled ?? true;
    if (typeof enabled !== 'function') return enabled;
    try {
      return enabled(tenant) === true;
    } catch (thrown) {
      throw fromUserCode(thrown, seeServerLog('The live-mode switch (`live.enabled`) failed, so live mode cannot run'));
    }
  }

  /** The kill switch for a listing: a switch that throws shows live as unavailable (fail closed), and is logged. */
  function liveSwitch(tenant: TenantContext): LiveAvailability {
    try {
      return isLiveEnabled(tenant) ? { available: true } : { available: false, reason: liveReason };
    } catch (error) {
      report.log('live.enabled', error, { tenant_id: tenant.tenantId });
      return { available: false, reason: seeServerLog('Live mode could not be checked') };
    }
  }

  /** Without an agent: the kill switch alone. With one: {@link liveAvailability}, as everywhere. */
  function liveStatus(
    tenant: TenantContext,
    agent?: AnyAgent,
    live: LiveAvailability = liveSwitch(tenant),
  ): LiveAvailability {
    if (!live.available || !agent) return live;
    return liveAvailability({ enabled: true, disabledReason: liveReason, providers, agent });
  }

  /** Removes secrets from an error's message, issues and cause chain. */
  function redactError(error: AgentryError): AgentryError {
    const patch: Parameters<typeof cloneError>[1] = {
      message: redactor.redactString(error.message),
      userMessage: redactor.redactString(error.userMessage),
    };
    if (error.issues) patch.issues = redactor.redactValue(error.issues);
    if (error.cause !== undefined) patch.cause = redactor.redactValue(error.cause);
    if (error.requestId !== undefined) patch.requestId = redactor.redactString(error.requestId);
    return cloneError(error, patch);
  }

  const report = createUserCodeReporter({ logger, redactor, redactError });
  const catalog = createAgentCatalog({
    agents: agentsById,
    resolveAgent: options.resolveAgent,
    listAgents: options.listAgents,
    logger,
    report,
  });

  /**
   * Normalizes a refusal (the rule is in user-code.ts). Deliberate errors pass through; anything
   * else (a resolver or store that threw, an `internal` error) becomes a generic `internal` error:
   * its raw message may hold a connection string or a stack detail, so it stays in the
   * (redacted) cause, for logs only.
   */
  function refusalError(error: unknown): AgentryError {
    if (isTrustedError(error) || isUserCodeFailure(error)) return redactError(error);
    return redactError(
      new AgentryError('internal', 'An unexpected error occurred before the execution could start.', { cause: error }),
    );
  }

  /**
   * A provider threw something that is not an Agentry error (a bug, or an SDK error it did not
   * map). Its raw message may name internal hosts or echo a request, so the record says only
   * what kind of error it was; the message goes to the (redacted) log for operators.
   */
  function unexpectedProviderError(providerId: string, thrown: unknown): AgentryError {
    const normalized = toAgentryError(thrown, 'provider_error');
    if (normalized.code === 'cancelled') return normalized;
    logUnexpectedError(logger, redactor, 'agentry.provider.unexpected_error', thrown, { provider: providerId });
    return new AgentryError(
      'provider_error',
      `The "${providerId}" provider failed with an unexpected ${errorKind(thrown)}; the details are in the server log.`,
      { cause: thrown, provider: providerId },
    );
  }

  // Executions whose onEvent hook already threw: logged once per execution, not once per chunk.
  const failedTelemetry = new Set<string>();

  function emitTelemetry(event: ExecutionEvent, tenant: TenantContext): void {
    if (!options.onEvent) return;
    try {
      options.onEvent(event, { tenant });
    } catch (error) {
      // A telemetry hook must never break an execution, nor fail silently.
      if (!failedTelemetry.has(event.executionId)) {
        failedTelemetry.add(event.executionId);
        report.log('onEvent', error, {
          tenant_id: tenant.tenantId,
          execution_id: event.executionId,
          event_type: event.type,
        });
      }
    } finally {
      if (event.type === 'execution-finish' || event.type === 'execution-error')
        failedTelemetry.delete(event.executionId);
    }
  }

  function checkInputSize(input: unknown): void {
    let json: string | undefined;
    try {
      json = JSON.stringify(input);
    } catch (error) {
      throw new AgentryError('validation_failed', 'The input cannot be serialized to JSON (a cycle or a BigInt?).', {
        issues: [{ path: [], message: 'Input must be plain JSON data.' }],
        cause: error,
      });
    }
    if (json === undefined) {
      throw new AgentryError('validation_failed', 'The input is missing: pass `input`, e.g. an object.', {
        issues: [{ path: [], message: 'Required.' }],
      });
    }
    // Three bytes per UTF-16 unit bounds UTF-8 size, so most inputs skip the encode.
    if (json.length * 3 > policy.maxInputBytes) {
      const bytes = encoder.encode(json).byteLength;
      if (bytes > policy.maxInputBytes) {
        throw new AgentryError(
          'input_too_large',
          `The input is ${bytes} bytes of JSON; this executor accepts at most ${policy.maxInputBytes}.`,
          { issues: [{ path: [], message: `At most ${policy.maxInputBytes} bytes.` }] },
        );
      }
    }
  }

  async function prepare(runOptions: ExecuteOptions<readonly AnyAgent[]>): Promise<PreparedRun> {
    if (runOptions === null || typeof runOptions !== 'object') {
      throw new AgentryError(
        'validation_failed',
        'execute() takes an options object: { agentId, input, mode, tenant }.',
      );
    }
    assertTenant(runOptions.tenant);
    const tenant = runOptions.tenant;
    const agent = await catalog.resolve(runOptions.agentId, tenant);
    const requestedMode = runOptions.mode ?? 'mock';
    if (requestedMode !== 'mock' && requestedMode !== 'live') {
      throw new AgentryError(
        'validation_failed',
        `mode must be "mock" or "live", got ${JSON.stringify(requestedMode)}.`,
        {
          issues: [{ path: ['mode'], message: 'Expected "mock" or "live".' }],
        },
      );
    }
    if (!agent.modes.includes(requestedMode)) {
      throw new AgentryError('validation_failed', `Agent "${agent.id}" does not run in ${requestedMode} mode.`, {
        issues: [{ path: ['mode'], message: `Allowed: ${agent.modes.join(', ')}.` }],
      });
    }
    // Before anything recursive (JSON.stringify, zod) walks it: a deep input must not exhaust the stack.
    const shapeError = inputShapeError(runOptions.input, policy.maxDepth, policy.maxInputBytes);
    if (shapeError) throw shapeError;
    checkInputSize(runOptions.input);
    const parsed = await callUserCode(
      seeServerLog(`The input schema of agent "${agent.id}" failed while validating the input`),
      () => safeParse(agent.input, runOptions.input),
    );
    if (!parsed.success) {
      const issues = toValidationIssues(parsed.error.issues);
      throw new AgentryError('validation_failed', `Invalid input for agent "${agent.id}": ${issuesSummary(issues)}.`, {
        issues,
      });
    }
    let mode: ExecutionMode = requestedMode;
    if (mode === 'live' && !isLiveEnabled(tenant)) {
      if (!options.live?.fallbackToMock)
        throw new AgentryError('live_disabled', `${liveReason} Run in mock mode instead.`);
      mode = 'mock';
    }
    let provider: ProviderAdapter;
    if (mode === 'mock') {
      provider = providers.mock as ProviderAdapter;
    } else {
      const key = agent.model?.provider;
      const live = key === undefined ? undefined : providers[key];
      if (!live) {
        throw new AgentryError(
          'provider_not_configured',
          key === undefined
            ? `Agent "${agent.id}" has no \`model\`, so it cannot run live. Add model: { provider, model } to its definition.`
            : `Agent "${agent.id}" needs the "${key}" provider, which is not configured. Pass it in createExecutor({ providers }).`,
        );
      }
      if (live.configured === false) {
        // Refused before it starts, with the words GET /agents shows (not a failed run saying "retry").
        throw new AgentryError(
          'provider_not_configured',
          `Agent "${agent.id}" needs the "${key}" provider, which has no API key or settings. Configure it, or run in mock mode.`,
          { userMessage: liveStatus(tenant, agent).reason as string, provider: live.id },
        );
      }
      const problem = live.checkAgent?.(agent);
      if (problem) throw new AgentryError('provider_not_configured', problem);
      provider = live;
    }
    const messages = await buildPrompt(agent, parsed.data);
    const outputSchema = await callUserCode(
      seeServerLog(`The output schema of agent "${agent.id}" cannot be converted to JSON Schema`),
      () => outputJsonSchema(agent),
    );
    const active = running.get(tenant.tenantId) ?? 0;
    if (active >= policy.concurrencyPerTenant) {
      throw new AgentryError(
        'limit_exceeded',
        `This tenant already has ${active} executions running (limit ${policy.concurrencyPerTenant}).`,
      );
    }
    running.set(tenant.tenantId, active + 1);
    return {
      agent,
      tenant,
      input: parsed.data,
      mode,
      requestedMode,
      provider,
      model: agent.model?.model ?? 'mock',
      messages,
      outputSchema,
      seed: runOptions.seed,
      signal: runOptions.signal,
    };
  }

  function release(tenantId: string): void {
    const active = (running.get(tenantId) ?? 1) - 1;
    if (active <= 0) running.delete(tenantId);
    else running.set(tenantId, active);
  }

  function logRejection(
    error: AgentryError,
    runOptions: Partial<ExecuteOptions<readonly AnyAgent[]>> | undefined,
  ): void {
    const tenant = runOptions?.tenant;
    logger.warn('agentry.execution.rejected', {
      tenant_id: typeof tenant?.tenantId === 'string' ? tenant.tenantId : null,
      user_id: typeof tenant?.userId === 'string' ? tenant.userId : null,
      agent_id: typeof runOptions?.agentId === 'string' ? runOptions.agentId : null,
      mode: runOptions?.mode ?? 'mock',
      status: 'rejected',
      error_code: error.code,
      error_message: error.message,
      // The real reason behind a generic internal error, for operators (redacted like every field).
      ...(error.code === 'internal' && error.cause !== undefined ? { error_cause: error.cause } : {}),
    });
  }

  /** The host's `generateId`, or the built-in one when it throws or answers something that is not an id. */
  function nextExecutionId(tenant: TenantContext): string {
    try {
      const id: unknown = generateId();
      if (typeof id === 'string' && id !== '') return id;
      throw new TypeError(`generateId() must return a non-empty string, got ${typeof id}.`);
    } catch (error) {
      report.log('generateId', error, { tenant_id: tenant.tenantId });
      return newExecutionId();
    }
  }

  /** The cost from the pricing table; a table whose entries throw when read gives an unknown cost (logged). */
  function priceOf(model: string, usage: Usage, tenant: TenantContext, executionId: string): number | null {
    try {
      return estimateCost(model, usage, pricing);
    } catch (error) {
      report.log('pricing', error, { tenant_id: tenant.tenantId, execution_id: executionId, model });
      return null;
    }
  }

  /** Runs a prepared request to its one final record. Never throws. */
  async function run(prepared: PreparedRun, emit: Emit | undefined): Promise<ExecutionResult> {
    const { agent, tenant, provider, mode } = prepared;
    const executionId = nextExecutionId(tenant);
    const startedAt = new Date();
    const start = now();
    const timeouts = policy.timeouts[mode];
    const totalController = new AbortController();
    const userSignal = prepared.signal;
    const onUserAbort = () =>
      totalController.abort(
        new AgentryError('cancelled', 'The execution was cancelled by its caller.', { executionId }),
      );
    if (userSignal?.aborted) onUserAbort();
    else userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const totalTimer =
      timeouts.totalMs === undefined
        ? undefined
        : setTimeout(
            () =>
              totalController.abort(
                new AgentryError('timeout', `The execution did not finish within ${timeouts.totalMs} ms.`, {
                  executionId,
                  provider: provider.id,
                }),
              ),
            timeouts.totalMs,
          );

    const send = (event: ExecutionEvent) => {
      emit?.(event);
      emitTelemetry(event, tenant);
    };
    send({
      type: 'execution-start',
      executionId,
      agentId: agent.id,
      mode,
      requestedMode: prepared.requestedMode,
      provider: provider.id,
      model: prepared.model,
      startedAt: startedAt.toISOString(),
    });

    let attempts = 0;
    let firstOutputAt: number | null = null;
    let text = '';
    // The output is redacted as one text, not chunk by chunk: a key split across deltas is still
    // a key. Deltas carry what is safe to release; the held tail goes out before the run ends.
    const deltas = createStreamRedactor(redactor);
    const sendDelta = (delta: string) => {
      if (delta !== '') send({ type: 'output-delta', executionId, delta });
    };
    // Usage that arrives while text is held waits for it, so deltas still come before usage.
    let heldUsage = false;
    let object: unknown;
    // Tokens a provider did not report stay unknown (null), never 0.
    let usage: Usage = unknownUsage();
    // Cost is only known once a provider reported usage: a run that failed before that
    // may still have been billed, so its cost is unknown (null), not $0.
    let usageReported = false;
    let model = prepared.model;
    let failure: AgentryError | undefined;
    let finishReason: FinishReason | undefined;
    let rawFinishReason: string | undefined;
    const outputSchema = prepared.outputSchema;
    const streaming = emit !== undefined && typeof provider.stream === 'function';

    while (true) {
      attempts += 1;
      const attemptController = new AbortController();
      const onTotalAbort = () => attemptController.abort(totalController.signal.reason);
      if (totalController.signal.aborted) onTotalAbort();
      else totalController.signal.addEventListener('abort', onTotalAbort, { once: true });
      let phaseTimer: ReturnType<typeof setTimeout> | undefined;
      const armPhase = (ms: number | undefined, what: string) => {
        if (phaseTimer !== undefined) clearTimeout(phaseTimer);
        if (ms === undefined) return;
        phaseTimer = setTimeout(
          () =>
            attemptController.abort(
              new AgentryError('timeout', `${what} did not arrive within ${ms} ms.`, {
                executionId,
                provider: provider.id,
              }),
            ),
          ms,
        );
      };
      const request: ProviderRequest = {
        agent,
        input: prepared.input,
        messages: prepared.messages,
        model: prepared.model,
        mode,
        executionId,
        attempt: attempts,
      };
      if (agent.model?.maxOutputTokens !== undefined) request.maxOutputTokens = agent.model.maxOutputTokens;
      if (agent.model?.temperature !== undefined) request.temperature = agent.model.temperature;
      if (outputSchema !== undefined)
        request.outputSchema = { name: agent.id.replace(/-/g, '_'), schema: outputSchema };
      if (prepared.seed !== undefined) request.seed = prepared.seed;
      const context: ProviderContext = { signal: attemptController.signal, tenant, logger };
      const attemptOutputStart = text.length;
      try {
        armPhase(timeouts.firstOutputMs, 'The first output');
        if (streaming) {
          const iterator = (provider.stream as NonNullable<ProviderAdapter['stream']>)(request, context)[
            Symbol.asyncIterator
          ]();
          try {
            while (true) {
              const step: IteratorResult<ProviderEvent> = await raceAbort(iterator.next(), attemptController.signal);
              if (step.done) break;
              const event = step.value;
              if (event.type === 'text-delta') {
                if (event.delta === '') continue;
                if (firstOutputAt === null) firstOutputAt = now();
                armPhase(timeouts.idleMs, 'The next output chunk');
                text += event.delta;
                sendDelta(deltas.push(event.delta));
              } else if (event.type === 'usage') {
                usage = mergeUsage(usage, event.usage);
                usageReported = true;
                heldUsage = deltas.held > 0;
                if (!heldUsage) send({ type: 'usage', executionId, usage });
              } else if (event.type === 'finish') {
                finishReason = event.finishReason;
                rawFinishReason = event.rawFinishReason;
                if (event.model) model = event.model;
                // The answer arrived (its usage is kept above) but cannot be used: a refusal, bad JSON.
                if (event.error) throw event.error;
                if (event.object !== undefined) object = event.object;
              } else {
                event satisfies never;
              }
            }
          } catch (error) {
            // Close the provider's stream (and its HTTP request) without waiting on it.
            iterator.return?.()?.catch(() => {});
            throw error;
          }
        } else {
          const response = await raceAbort(provider.execute(request, context), attemptController.signal);
          if (response.usage) {
            usage = response.usage;
            usageReported = true;
          }
          finishReason = response.finishReason;
          rawFinishReason = response.rawFinishReason;
          if (response.model) model = response.model;
          // Answered and billed, but unusable (a refusal, bad JSON): fail, keeping usage and cost.
          if (response.error) {
            if (usageReported) send({ type: 'usage', executionId, usage });
            throw response.error;
          }
          if (firstOutputAt === null) firstOutputAt = now();
          text = response.text;
          if (response.object !== undefined) object = response.object;
          if (emit) sendDelta(deltas.push(text) + deltas.flush());
          if (usageReported) send({ type: 'usage', executionId, usage });
        }
        failure = undefined;
        break;
      } catch (thrown) {
        // Why did it stop? Our own signals know better than the provider's error.
        const reason = attemptController.signal.aborted ? attemptController.signal.reason : thrown;
        const error = isAgentryError(reason) ? reason : unexpectedProviderError(provider.id, thrown);
        failure = error.executionId === undefined ? cloneError(error, { executionId }) : error;
        const outputEmitted = text.length > attemptOutputStart || (streaming && firstOutputAt !== null);
        const canRetry =
          failure.retryable &&
          failure.code !== 'cancelled' &&
          attempts <= policy.maxRetries &&
          !totalController.signal.aborted &&
          !outputEmitted;
        if (!canRetry) break;
        const retryAfter = failure.retryAfterMs;
        if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) break;
        const delayMs = retryAfter ?? backoffDelay(policy.backoff, attempts);
        try {
          options.onRetry?.({
            executionId,
            agentId: agent.id,
            attempt: attempts,
            error: redactError(failure),
            delayMs,
          });
        } catch (error) {
          // A hook must never break an execution, nor fail silently.
          report.log('onRetry', error, { tenant_id: tenant.tenantId, execution_id: executionId });
        }
        logger.info('agentry.execution.retry', {
          tenant_id: tenant.tenantId,
          agent_id: agent.id,
          execution_id: executionId,
          attempt: attempts,
          error_code: failure.code,
          delay_ms: delayMs,
        });
        try {
          await delay(delayMs, totalController.signal);
        } catch (reason) {
          failure = isAgentryError(reason) ? reason : toAgentryError(reason);
          break;
        }
      } finally {
        if (phaseTimer !== undefined) clearTimeout(phaseTimer);
        totalController.signal.removeEventListener('abort', onTotalAbort);
      }
    }

    if (totalTimer !== undefined) clearTimeout(totalTimer);
    userSignal?.removeEventListener('abort', onUserAbort);
    if (emit) sendDelta(deltas.flush());
    if (heldUsage) send({ type: 'usage', executionId, usage });

    let output: unknown = text;
    if (failure === undefined && agent.output !== undefined) {
      let candidate = object;
      if (candidate === undefined) {
        const parsedJson = parseModelJson(text);
        if (parsedJson.ok) candidate = parsedJson.value;
        else {
          failure = new AgentryError(
            'output_invalid',
            `Agent "${agent.id}" answered text that is not JSON (${parsedJson.message})${finishReason === 'length' ? '; the answer was cut off at the token limit' : ''}.`,
            { executionId, provider: provider.id },
          );
        }
      }
      const shapeProblem = failure === undefined ? outputShapeProblem(candidate, policy.maxDepth) : undefined;
      if (shapeProblem !== undefined) {
        failure = new AgentryError('output_invalid', `The output of agent "${agent.id}" ${shapeProblem}.`, {
          executionId,
          provider: provider.id,
        });
      }
      if (failure === undefined) {
        const checked = await safeParseCatching(agent.output, candidate);
        if ('thrown' in checked) {
          // A refinement or transform of the agent's own schema threw: publicFailure makes it generic.
          const message = `The output schema of agent "${agent.id}" threw while validating the output`;
          failure = cloneError(fromUserCode(checked.thrown, message), { executionId });
        } else if (checked.success) output = checked.data;
        else {
          const issues = toValidationIssues(checked.error.issues);
          failure = new AgentryError(
            'output_invalid',
            `The output of agent "${agent.id}" does not match its output schema: ${issuesSummary(issues)}.`,
            { executionId, provider: provider.id, issues },
          );
        }
      }
    }

    const durationMs = Math.max(0, now() - start);
    const metrics: ExecutionMetrics = {
      durationMs: Math.round(durationMs * 1000) / 1000,
      timeToFirstOutputMs: firstOutputAt === null ? null : Math.round((firstOutputAt - start) * 1000) / 1000,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd: usageReported ? priceOf(model, usage, tenant, executionId) : null,
      provider: provider.id,
      model,
      attempts,
      simulated: provider.simulated === true,
    };
    if (usage.cachedInputTokens !== undefined) metrics.cachedInputTokens = usage.cachedInputTokens;
    if (usage.reasoningTokens !== undefined) metrics.reasoningTokens = usage.reasoningTokens;
    if (finishReason !== undefined) metrics.finishReason = finishReason;
    if (rawFinishReason !== undefined) metrics.rawFinishReason = rawFinishReason;

    const base = {
      id: executionId,
      agentId: agent.id,
      mode,
      requestedMode: prepared.requestedMode,
      tenantId: tenant.tenantId,
      input: redactor.redactValue(prepared.input),
      metrics,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
    };
    const userId = tenant.userId === undefined ? {} : { userId: tenant.userId };
    let result: ExecutionResult;
    if (failure === undefined) {
      result = { ...base, ...userId, status: 'succeeded', output: redactor.redactValue(output) };
    } else {
      const serialized: SerializedAgentryError = serializeError(
        report.publicFailure(failure, agent.id, tenant.tenantId),
      );
      const partial = text === '' ? null : redactor.redactString(text);
      result =
        failure.code === 'cancelled'
          ? { ...base, ...userId, status: 'cancelled', output: partial, error: serialized }
          : { ...base, ...userId, status: 'failed', output: partial, error: serialized };
    }

    try {
      await store.save(result);
    } catch (error) {
      logger.error('agentry.store.save_failed', {
        tenant_id: tenant.tenantId,
        execution_id: executionId,
        error_message: error instanceof Error ? error.message : String(error),
      });
    }

    const fields = {
      tenant_id: tenant.tenantId,
      user_id: tenant.userId ?? null,
      agent_id: agent.id,
      execution_id: executionId,
      mode,
      requested_mode: prepared.requestedMode,
      provider: provider.id,
      model,
      status: result.status,
      duration_ms: metrics.durationMs,
      time_to_first_output_ms: metrics.timeToFirstOutputMs,
      input_tokens: metrics.inputTokens,
      output_tokens: metrics.outputTokens,
      cost_usd: metrics.costUsd,
      finish_reason: metrics.finishReason ?? null,
      attempts,
      ...(result.status === 'succeeded'
        ? {}
        : { error_code: result.error.code, error_message: result.error.message, request_id: result.error.requestId }),
    };
    if (result.status === 'failed') logger.error('agentry.execution.completed', fields);
    else logger.info('agentry.execution.completed', fields);

    if (result.status === 'succeeded') send({ type: 'execution-finish', executionId, result });
    else send({ type: 'execution-error', executionId, error: result.error, result });
    return result;
  }

  async function execute(runOptions: ExecuteOptions<readonly AnyAgent[]>): Promise<ExecutionResult> {
    let prepared: PreparedRun;
    try {
      prepared = await prepare(runOptions);
    } catch (error) {
      const agentryError = refusalError(error);
      logRejection(agentryError, runOptions);
      throw agentryError;
    }
    try {
      return await run(prepared, undefined);
    } finally {
      release(prepared.tenant.tenantId);
    }
  }

  async function* stream(runOptions: ExecuteOptions<readonly AnyAgent[]>): AsyncGenerator<ExecutionEvent> {
    const controller = new AbortController();
    const userSignal = runOptions?.signal;
    const onAbort = () => controller.abort(userSignal?.reason);
    if (userSignal?.aborted) onAbort();
    else userSignal?.addEventListener('abort', onAbort, { once: true });
    let prepared: PreparedRun;
    try {
      prepared = await prepare({ ...runOptions, signal: controller.signal });
    } catch (error) {
      userSignal?.removeEventListener('abort', onAbort);
      const agentryError = refusalError(error);
      logRejection(agentryError, runOptions);
      throw agentryError;
    }
    const queue: ExecutionEvent[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    const running = run(prepared, (event) => {
      queue.push(event);
      wake?.();
    }).finally(() => {
      finished = true;
      release(prepared.tenant.tenantId);
      userSignal?.removeEventListener('abort', onAbort);
      wake?.();
    });
    try {
      while (true) {
        while (queue.length > 0) yield queue.shift() as ExecutionEvent;
        if (finished) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      await running;
    } finally {
      if (!finished) {
        // The consumer stopped early (break, return, throw): cancel, and wait for the record.
        controller.abort(new AgentryError('cancelled', 'The stream was closed by its consumer.'));
        await running;
      }
    }
  }

  async function listAgents(tenant: TenantContext) {
    assertTenant(tenant);
    const agents = await catalog.list(tenant);
    const live = liveSwitch(tenant);
    return agents.map((agent) => {
      try {
        return describeAgent(agent, liveStatus(tenant, agent, live));
      } catch (thrown) {
        throw report.error('describeAgent', thrown, `The schemas of agent "${agent.id}" cannot be described`, {
          tenant_id: tenant.tenantId,
          agent_id: agent.id,
        });
      }
    });
  }

  async function getAgent(agentId: string, tenant: TenantContext): Promise<AnyAgent> {
    assertTenant(tenant);
    try {
      return await catalog.resolve(agentId, tenant);
    } catch (thrown) {
      throw report.error('resolveAgent', thrown, "The host's resolveAgent failed", { tenant_id: tenant.tenantId });
    }
  }

  async function listExecutions(tenant: TenantContext, listOptions?: Parameters<Executor['listExecutions']>[1]) {
    assertTenant(tenant);
    try {
      const page = await store.list(tenant.tenantId, listOptions);
      // The store is trusted to filter, and checked anyway.
      const items = page.items.filter((record) => record?.tenantId === tenant.tenantId);
      return page.nextCursor === undefined ? { items } : { items, nextCursor: page.nextCursor };
    } catch (thrown) {
      throw report.error('store.list', thrown, 'The execution store failed to list the history', {
        tenant_id: tenant.tenantId,
      });
    }
  }

  async function getExecution(tenant: TenantContext, executionId: string): Promise<ExecutionResult> {
    assertTenant(tenant);
    let record: ExecutionResult | undefined;
    try {
      record = typeof executionId === 'string' ? await store.get(tenant.tenantId, executionId) : undefined;
    } catch (thrown) {
      throw report.error('store.get', thrown, 'The execution store failed to read an execution', {
        tenant_id: tenant.tenantId,
      });
    }
    if (!record || record.tenantId !== tenant.tenantId) {
      throw new AgentryError('not_found', `No execution "${String(executionId)}" in this workspace.`);
    }
    return record;
  }

  async function health(
    healthOptions: { timeoutMs?: number; signal?: AbortSignal; tenant?: TenantContext } = {},
  ): Promise<HealthReport> {
    const timeoutMs = healthOptions.timeoutMs ?? 2000;
    const entries = await Promise.all(
      Object.entries(providers).map(async ([key, provider]) => {
        if (!provider.health) return [key, { status: 'ok', configured: true }] as const;
        const controller = new AbortController();
        const timer = setTimeout(
          () => controller.abort(new AgentryError('timeout', `Health check timed out after ${timeoutMs} ms.`)),
          timeoutMs,
        );
        const onAbort = () => controller.abort(healthOptions.signal?.reason);
        healthOptions.signal?.addEventListener('abort', onAbort, { once: true });
        const started = now();
        try {
          const result = await raceAbort(provider.health({ signal: controller.signal }), controller.signal);
          return [key, { ...result, message: result.message && redactor.redactString(result.message) }] as const;
        } catch (error) {
          // A provider's own error says what is wrong; anything else (a custom provider's bug, a raw
          // network error naming internal hosts) is logged and reported generically.
          const reported = report.error('health', error, `The "${key}" provider's health check failed`, {
            provider: key,
          });
          return [
            key,
            {
              status: 'down',
              configured: true,
              latencyMs: Math.round(now() - started),
              message: reported.message,
            },
          ] as const;
        } finally {
          clearTimeout(timer);
          healthOptions.signal?.removeEventListener('abort', onAbort);
        }
      }),
    );
    const enabled = options.live?.enabled ?? true;
    // A per-tenant switch is answered for the caller's tenant when there is one; without one,
    // each provider's `live` says what the configuration allows.
    const liveEnabled =
      typeof enabled !== 'function' ? enabled : healthOptions.tenant ? isLiveEnabled(healthOptions.tenant) : true;
    const providerHealth = Object.fromEntries(
      entries.map(([key, value]) => {
        const entry = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
        if (key !== 'mock') {
          entry.live = liveAvailability({
            enabled: liveEnabled,
            disabledReason: liveReason,
            providers,
            providerKey: key,
          });
        }
        return [key, entry];
      }),
    ) as unknown as HealthReport['providers'];
    const statuses = Object.values(providerHealth).map((value) => value.status);
    const status: HealthReport['status'] =
      providerHealth.mock?.status !== 'ok' ? 'down' : statuses.every((value) => value === 'ok') ? 'ok' : 'degraded';
    return {
      status,
      // A per-tenant switch cannot be answered without a tenant: say so rather than claim "on".
      live:
        typeof enabled === 'function' && !healthOptions.tenant
          ? { enabled: 'per-tenant' }
          : liveEnabled
            ? { enabled: true }
            : { enabled: false, reason: liveReason },
      providers: providerHealth,
      checkedAt: new Date().toISOString(),
    };
  }

  function forTenant(tenant: TenantContext): TenantExecutor {
    assertTenant(tenant);
    const bound = Object.freeze({ ...tenant });
    const service = {
      listAgents: () => listAgents(bound),
      execute: (runOptions: RunOptions) => execute({ ...runOptions, tenant: bound }),
      stream: (runOptions: RunOptions) => stream({ ...runOptions, tenant: bound }),
      listExecutions: (listOptions?: Parameters<AgentService['listExecutions']>[0]) =>
        listExecutions(bound, listOptions),
      getExecution: (executionId: string) => getExecution(bound, executionId),
      health: (healthOptions?: { signal?: AbortSignal }) => health({ ...healthOptions, tenant: bound }),
    };
    return Object.freeze({ tenant: bound, ...service }) as unknown as TenantExecutor;
  }

  const executor = {
    execute,
    stream,
    listAgents,
    getAgent,
    listExecutions,
    getExecution,
    liveStatus: (tenant: TenantContext, agent?: AnyAgent) => {
      assertTenant(tenant);
      return liveStatus(tenant, agent);
    },
    health,
    forTenant,
    redactor,
  };
  return executor as unknown as Executor<TAgents>;
}

/** Parses synchronously (fast) and falls back to async parsing for schemas with async refinements. */
function safeParse(
  schema: AnyAgent['input'],
  value: unknown,
): ReturnType<AnyAgent['input']['safeParse']> | Promise<ReturnType<AnyAgent['input']['safeParse']>> {
  try {
    return schema.safeParse(value);
  } catch (error) {
    if (error instanceof Error && error.constructor.name === '$ZodAsyncError') return schema.safeParseAsync(value);
    throw error;
  }
}

/** {@link safeParse} for a schema whose own code (a refinement, a transform) may throw: reports the throw instead. */
async function safeParseCatching(
  schema: AnyAgent['input'],
  value: unknown,
): Promise<ReturnType<AnyAgent['input']['safeParse']> | { thrown: unknown }> {
  try {
    return await safeParse(schema, value);
  } catch (thrown) {
    return { thrown };
  }
}
