import type { MockContext, MockHistory, MockHistoryStep, MockScript, MockStep } from '../../agent';
import { AgentryError, isAgentryError } from '../../errors';
import type { ProviderMessage, ProviderRequest, ProviderToolCall } from '../types';

/** What a scripted step answers: the model's text or output, its tool calls, and its own latency and failure. */
export interface ScriptedStep {
  step: MockStep;
  toolCalls: ProviderToolCall[] | undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The steps so far, read back from the conversation the executor sends (tool-call turns and their results). */
export function historyOf(messages: readonly ProviderMessage[]): MockHistory {
  const steps: MockHistoryStep[] = [];
  let current:
    | { text: string; toolCalls: MockHistoryStep['toolCalls']; toolResults: MockHistoryStep['toolResults'][number][] }
    | undefined;
  for (const message of messages) {
    if (message.role === 'assistant' && 'toolCalls' in message) {
      current = {
        text: message.content,
        toolCalls: message.toolCalls.map((call) => ({ id: call.id, name: call.name, args: parseJson(call.argsText) })),
        toolResults: [],
      };
      steps.push(current);
    } else if (message.role === 'tool' && current) {
      current.toolResults.push(
        message.isError
          ? { id: message.toolCallId, name: message.toolName, error: message.content }
          : { id: message.toolCallId, name: message.toolName, output: parseJson(message.content) },
      );
    }
  }
  return { step: steps.length, steps };
}

function toProviderCalls(step: MockStep, index: number): ProviderToolCall[] | undefined {
  if (step.toolCalls === undefined || step.toolCalls.length === 0) return undefined;
  return step.toolCalls.map((call, position) => ({
    id: call.id ?? `call_${index}_${position}`,
    name: call.name,
    argsText: 'argsText' in call ? call.argsText : JSON.stringify(call.args ?? {}),
  }));
}

/**
 * The next step of an agent's `mock: { steps }`, for this request's history. A list answers at
 * once (no promise: it is the mock's hot path in the tool loop); a step function may be async.
 */
export function scriptedStep(
  script: MockScript,
  request: ProviderRequest,
  calls: { context(): MockContext },
): ScriptedStep | Promise<ScriptedStep> {
  if (typeof script.steps === 'function') return functionStep(script.steps, request, calls);
  // A list needs only the step's number: the tool-calling turns so far.
  let index = 0;
  for (const message of request.messages) if (message.role === 'assistant' && 'toolCalls' in message) index += 1;
  const step = script.steps[index];
  if (step === undefined) {
    throw new AgentryError(
      'provider_error',
      `The mock script of agent "${request.agentId}" has ${script.steps.length} steps; step ${index + 1} was asked for. End the script with a step without toolCalls (the answer).`,
      { retryable: false, provider: 'mock' },
    );
  }
  return checkedStep(step, index, request);
}

async function functionStep(
  steps: Extract<MockScript['steps'], (...args: never[]) => unknown>,
  request: ProviderRequest,
  calls: { context(): MockContext },
): Promise<ScriptedStep> {
  const history = historyOf(request.messages);
  let step: MockStep | undefined;
  try {
    step = await steps(request.input, history, calls.context());
  } catch (error) {
    if (isAgentryError(error)) throw error;
    throw new AgentryError(
      'internal',
      `The mock step function of agent "${request.agentId}" threw: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, provider: 'mock', retryable: false },
    );
  }
  return checkedStep(step, history.step, request);
}

function checkedStep(step: MockStep | undefined, index: number, request: ProviderRequest): ScriptedStep {
  if (typeof step !== 'object' || step === null) {
    throw new AgentryError(
      'internal',
      `The mock step function of agent "${request.agentId}" returned no step (an object with toolCalls, text or output).`,
      { provider: 'mock', retryable: false },
    );
  }
  return { step, toolCalls: toProviderCalls(step, index) };
}
