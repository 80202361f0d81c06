import type { ExecutionMode } from '../../agent';
import { isAgentryError } from '../../errors';
import type { AgentSummary, ExecutionResult } from '../../protocol';
import { defaultsFromSchema, type JsonSchema } from '../../validation';
import { validateJsonSchema } from '../../validation/json-schema';
import { type CheckResult, check } from './checklist';
import type { RunnableAgent, TenantSession, VerifyContext } from './context';
import { formatMs, percentile } from './statistics';

/** Mock runs answer within this, at the 95th percentile (the deployment checklist's target). */
export const MOCK_TARGET_MS = 500;
/** Live runs show their first output within this, at the 95th percentile. */
export const LIVE_TARGET_MS = 3000;

/** How one streamed run went, measured here. */
export interface RunMeasurement {
  agentId: string;
  mode: ExecutionMode;
  ok: boolean;
  /** The execution's id, once the stream said it. */
  executionId?: string;
  /** The record, when the run ended with one. */
  record?: ExecutionResult;
  /** From sending the request to the first `output-delta` (or to the end, when none came). */
  firstOutputMs?: number;
  /** From sending the request to the last event. */
  totalMs?: number;
  /** Why it failed: the error code and message. */
  failure?: string;
  /** Stopped by verify at the token cap (live only). */
  capped?: boolean;
}

/** The agents that can run in `mode`, each with an input its schema accepts, and those that cannot (with why). */
export function runnableAgents(
  agents: readonly AgentSummary[],
  mode: ExecutionMode,
): { runnable: RunnableAgent[]; skipped: string[] } {
  const runnable: RunnableAgent[] = [];
  const skipped: string[] = [];
  for (const agent of agents) {
    if (!agent.modes.includes(mode)) continue;
    if (mode === 'live' && !agent.live.available) {
      skipped.push(`${agent.id}: live unavailable${agent.live.reason ? ` (${agent.live.reason})` : ''}`);
      continue;
    }
    const input = agent.example !== undefined ? agent.example : defaultsFromSchema(agent.inputSchema as JsonSchema);
    const issues = validateJsonSchema(agent.inputSchema as JsonSchema, input);
    if (issues.length > 0) {
      skipped.push(
        `${agent.id}: no example input its schema accepts (${agent.example === undefined ? 'GET /agents publishes no example' : 'the published example is invalid'}): add \`example\` to the agent`,
      );
      continue;
    }
    runnable.push({ agent, input });
  }
  return { runnable, skipped };
}

/** One streamed run, timed from here; live runs are closed once their output passes `maxTokens`. */
export async function measureRun(
  context: VerifyContext,
  tenant: TenantSession,
  target: RunnableAgent,
  mode: ExecutionMode,
  maxTokens?: number,
): Promise<RunMeasurement> {
  const measurement: RunMeasurement = { agentId: target.agent.id, mode, ok: false };
  const controller = new AbortController();
  const started = context.now();
  let outputChars = 0;
  try {
    for await (const event of tenant.client.stream({
      agentId: target.agent.id,
      input: target.input,
      mode,
      signal: controller.signal,
    })) {
      switch (event.type) {
        case 'execution-start':
          measurement.executionId = event.executionId;
          break;
        case 'output-delta':
          measurement.firstOutputMs ??= context.now() - started;
          outputChars += event.delta.length;
          break;
        case 'usage':
          if (maxTokens !== undefined && (event.usage.outputTokens ?? 0) >= maxTokens) measurement.capped = true;
          break;
        case 'execution-finish':
          measurement.ok = true;
          measurement.record = event.result;
          break;
        case 'execution-error':
          measurement.record = event.result;
          measurement.failure = `${event.error.code}: ${event.error.message}`;
          break;
        case 'step-start':
        case 'tool-call':
        case 'tool-result':
        case 'step-finish':
          // A tool-using agent's steps: the checklist measures first output and the final record.
          break;
        default:
          event satisfies never;
      }
      // About four characters a token: the stream is closed, and the run cancelled, past the cap.
      if (maxTokens !== undefined && outputChars / 4 >= maxTokens) measurement.capped = true;
      if (measurement.capped) {
        measurement.ok = measurement.firstOutputMs !== undefined;
        controller.abort();
        break;
      }
    }
    if (!measurement.ok && measurement.failure === undefined) measurement.failure = 'the stream ended without a result';
  } catch (error) {
    measurement.ok = false;
    measurement.failure = isAgentryError(error) ? `${error.code}: ${error.message}` : String(error);
  }
  measurement.totalMs = context.now() - started;
  measurement.firstOutputMs ??= measurement.ok ? measurement.totalMs : undefined;
  return measurement;
}

/** `samples` mock runs as tenant A, round robin over the agents (each at least once). */
export async function runMockSamples(
  context: VerifyContext,
  runnable: readonly RunnableAgent[],
): Promise<RunMeasurement[]> {
  const total = Math.max(context.options.samples, runnable.length);
  const measurements: RunMeasurement[] = [];
  // One unmeasured run first: a fresh process's first request pays for lazy loading, not for the deployment.
  if (runnable[0] !== undefined) {
    context.progress.update(`mock warm-up run (${runnable[0].agent.id})`);
    await measureRun(context, context.a, runnable[0], 'mock');
  }
  for (let index = 0; index < total && runnable.length > 0; index += 1) {
    const target = runnable[index % runnable.length] as RunnableAgent;
    context.progress.update(`mock runs ${index + 1}/${total} (${target.agent.id})`);
    measurements.push(await measureRun(context, context.a, target, 'mock'));
  }
  context.progress.done();
  return measurements;
}

/** Each agent's mock run with its example input succeeded. */
export function checkMockRuns(measurements: readonly RunMeasurement[], skipped: readonly string[]): CheckResult {
  const byAgent = new Map<string, RunMeasurement[]>();
  for (const measurement of measurements) {
    byAgent.set(measurement.agentId, [...(byAgent.get(measurement.agentId) ?? []), measurement]);
  }
  const details: string[] = [];
  let failedAgents = 0;
  for (const [agentId, runs] of byAgent) {
    const failed = runs.filter((run) => !run.ok);
    if (failed.length > 0) failedAgents += 1;
    details.push(
      failed.length === 0
        ? `${agentId}: ${runs.length} of ${runs.length} succeeded`
        : `${agentId}: ${failed.length} of ${runs.length} failed — ${failed[0]?.failure ?? 'unknown'}`,
    );
  }
  details.push(...skipped.map((line) => `skipped ${line}`));
  if (byAgent.size === 0) {
    return check(
      'mock-runs',
      'Mock run of each agent with its example input',
      'fail',
      'no agent could run in mock mode',
      details,
    );
  }
  const ok = measurements.filter((run) => run.ok).length;
  return check(
    'mock-runs',
    'Mock run of each agent with its example input',
    failedAgents > 0 ? 'fail' : skipped.length > 0 ? 'warn' : 'pass',
    `${byAgent.size - failedAgents} of ${byAgent.size + skipped.length} agents ok; ${ok} of ${measurements.length} runs succeeded`,
    details,
  );
}

/** p50/p95 of a latency against its target: ❌ when p95 is at or over it. */
export function checkLatency(
  id: string,
  title: string,
  measurements: readonly RunMeasurement[],
  targetMs: number,
  notes: readonly string[] = [],
): CheckResult {
  const firstOutput = measurements.flatMap((run) =>
    run.ok && run.firstOutputMs !== undefined ? [run.firstOutputMs] : [],
  );
  const total = measurements.flatMap((run) => (run.ok && run.totalMs !== undefined ? [run.totalMs] : []));
  if (firstOutput.length === 0) {
    return check(id, title, 'fail', 'no successful run to measure', [...notes]);
  }
  const p50 = percentile(firstOutput, 0.5);
  const p95 = percentile(firstOutput, 0.95) as number;
  const details = [
    `time to first output over ${firstOutput.length} runs: p50 ${formatMs(p50)}, p95 ${formatMs(p95)}, max ${formatMs(Math.max(...firstOutput))}`,
    `whole run: p50 ${formatMs(percentile(total, 0.5))}, p95 ${formatMs(percentile(total, 0.95))}`,
    ...notes,
  ];
  if (p95 >= targetMs) details.unshift(`p95 ${formatMs(p95)} is over the ${formatMs(targetMs)} target`);
  return check(
    id,
    title,
    p95 < targetMs ? 'pass' : 'fail',
    `first output p50 ${formatMs(p50)} · p95 ${formatMs(p95)} (target < ${formatMs(targetMs)})`,
    details,
  );
}

/** Live runs: one per agent with live available, capped; their time to first output against 3 s. */
export async function runLive(
  context: VerifyContext,
): Promise<{ results: CheckResult[]; measurements: RunMeasurement[] }> {
  const title = 'Live runs: time to first output';
  if (!context.options.live) {
    return {
      results: [check('live-runs', title, 'skip', 'not run: pass --live (costs tokens; capped by --max-tokens)')],
      measurements: [],
    };
  }
  const { runnable, skipped } = runnableAgents(context.a.agents, 'live');
  if (runnable.length === 0) {
    return {
      results: [check('live-runs', title, 'warn', '--live asked, but no agent can run live for tenant A', skipped)],
      measurements: [],
    };
  }
  const measurements: RunMeasurement[] = [];
  for (const [index, target] of runnable.entries()) {
    context.progress.update(`live runs ${index + 1}/${runnable.length} (${target.agent.id})`);
    measurements.push(await measureRun(context, context.a, target, 'live', context.options.maxTokens));
  }
  context.progress.done();
  const failed = measurements.filter((run) => !run.ok);
  const notes = [
    ...measurements.map(
      (run) =>
        `${run.agentId}: ${run.ok ? `first output in ${formatMs(run.firstOutputMs)}${run.capped ? `, closed at the ${context.options.maxTokens}-token cap (the record shows "cancelled")` : ''}` : `failed — ${run.failure}`}`,
    ),
    ...skipped.map((line) => `skipped ${line}`),
  ];
  if (failed.length > 0) {
    return {
      results: [
        check('live-runs', title, 'fail', `${failed.length} of ${measurements.length} live runs failed`, notes),
      ],
      measurements,
    };
  }
  return { results: [checkLatency('live-runs', title, measurements, LIVE_TARGET_MS, notes)], measurements };
}
