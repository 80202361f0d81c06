import type { ExecutionMode, SerializedAgentryError } from '@agentry/core';
import { formatBytes, formatDuration } from './format';

/** The error fields the callout shows (an `AgentryError` or its JSON form both fit). */
export type ErrorCalloutError = Pick<SerializedAgentryError, 'code' | 'message' | 'userMessage'> &
  Partial<
    Pick<
      SerializedAgentryError,
      | 'executionId'
      | 'requestId'
      | 'provider'
      | 'status'
      | 'retryable'
      | 'issues'
      | 'retryAfterMs'
      | 'limit'
      | 'resetsAt'
    >
  >;

/** What the callout says about an error: titled by its real cause, with advice that fits the mode. */
export interface ErrorCopy {
  title: string;
  advice: string;
  /**
   * Whether running the same input again can help: `retry` (a transient failure), `run-again`
   * (the run was stopped), or `none` (it would fail the same way: a deterministic mock, bad
   * input, a missing key, an exhausted budget).
   */
  action: 'retry' | 'run-again' | 'none';
  /** A hint for the developer who set the panel up; shown only with `showDeveloperHints`. */
  developerHint?: string;
}

/** What {@link describeError} knows besides the error. */
export interface ErrorCopyContext {
  /** The mode the run used. */
  mode: ExecutionMode;
  locale?: string;
  /**
   * The run's event stream dropped and resuming it failed, so how the run ended is not known
   * here (the server may still finish it). @default false
   */
  connectionLost?: boolean;
}

const limitText = (error: ErrorCalloutError, locale: string | undefined): string | undefined => {
  const limit = error.limit;
  if (!limit) return undefined;
  if (limit.unit === 'ms') return formatDuration(limit.value, locale);
  if (limit.unit === 'bytes') return formatBytes(limit.value, locale);
  return String(limit.value);
};

const resetText = (error: ErrorCalloutError, locale: string | undefined): string | undefined => {
  const resetsAt = error.resetsAt;
  if (typeof resetsAt !== 'string') return undefined;
  const date = new Date(resetsAt);
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
};

/**
 * The English copy for an error, by its code and the run's mode. A mock run is deterministic,
 * so a failure it produced comes back on every retry: no Retry is offered for it; a live
 * provider's transient failure gets one. Override it with the `describeError` label.
 */
export function describeError(error: ErrorCalloutError, { mode, locale, connectionLost }: ErrorCopyContext): ErrorCopy {
  const limit = limitText(error, locale);
  const mock = mode === 'mock';
  // A lost stream's own error (unreachable, a cut, an instance that no longer knows the run) says
  // less than this; an answer with a cause of its own (signed out, say) keeps its copy.
  if (connectionLost && (error.retryable || error.code === 'not_found')) {
    return {
      title: 'The connection to the server was lost',
      advice: `The run may have finished on the server${mock ? '' : ' (and been billed)'}: check the history before running again.`,
      action: 'run-again',
    };
  }
  switch (error.code as string) {
    case 'validation_failed':
      return {
        title: 'The input does not match the schema',
        advice: 'Fix the marked fields, then run again.',
        action: 'none',
      };
    case 'invalid_json':
      return {
        title: 'The input is not valid JSON',
        advice: 'Fix the marked position, then run again.',
        action: 'none',
      };
    case 'input_too_large':
      return {
        title: 'The input is too large',
        advice: limit
          ? `This agent accepts at most ${limit} of input. Shorten it, then run again.`
          : 'Shorten it, then run again.',
        action: 'none',
      };
    case 'output_invalid':
      return mock
        ? {
            title: 'The simulated answer does not match the output schema',
            advice: 'Mock runs are deterministic: running again gives the same answer.',
            action: 'none',
            developerHint:
              'Fix the agent’s `mock` so it returns what its output schema describes; the issues are listed under Details.',
          }
        : {
            title: 'The model’s answer did not match the expected format',
            advice: 'Models can answer differently each time: run again, or adjust the prompt.',
            action: 'retry',
          };
    case 'tenant_required':
      return { title: 'You are not signed in', advice: 'Sign in, then run again.', action: 'none' };
    case 'auth_unavailable':
      return { title: 'Sign-in cannot be checked right now', advice: 'Try again in a moment.', action: 'retry' };
    case 'not_found':
      return {
        title: 'Not available in this workspace',
        advice: 'Pick another agent, or switch workspace.',
        action: 'none',
      };
    case 'live_disabled':
      return { title: 'Live runs are turned off here', advice: 'Use mock mode to try the agent.', action: 'none' };
    case 'provider_not_configured':
      return {
        title: 'Live runs are not set up for this agent',
        advice: 'Use mock mode, or ask an administrator to set up live runs.',
        action: 'none',
        developerHint:
          'Configure the agent’s provider on the server (its API key, e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY).',
      };
    case 'provider_auth_failed':
      return {
        title: 'The model provider refused the server’s key',
        advice: 'An administrator must check the key. Mock mode still works.',
        action: 'none',
      };
    case 'provider_error':
      if (mock) {
        // Failure injection: the agent's mock is set to fail (always, on some calls, or at a rate).
        return {
          title: 'Simulated provider failure',
          advice:
            error.retryable === false
              ? 'The agent’s mock is set to fail like this: running again fails the same way.'
              : 'The agent’s mock simulates a provider failure; retry to see how the app recovers.',
          action: error.retryable === false ? 'none' : 'retry',
          developerHint: 'This failure is injected by the agent’s mock (its failure settings), not by a real provider.',
        };
      }
      return error.retryable === false
        ? {
            title: 'The model provider rejected the request',
            advice: 'Running again fails the same way: check the details.',
            action: 'none',
          }
        : {
            title: 'The model provider had a problem',
            advice: 'It is usually brief: retry in a moment, or use mock mode.',
            action: 'retry',
          };
    case 'rate_limited': {
      const wait = error.retryAfterMs === undefined ? undefined : formatDuration(error.retryAfterMs, locale);
      return {
        title: 'Too many requests right now',
        advice: wait ? `Wait ${wait}, then retry.` : 'Wait a few seconds, then retry.',
        action: 'retry',
      };
    }
    case 'limit_exceeded':
      return {
        title: 'Too many runs at once in this workspace',
        advice: limit
          ? `At most ${limit} can run at once. Retry when one finishes.`
          : 'Retry when one of the running runs finishes.',
        action: 'retry',
      };
    case 'budget_exceeded': {
      const reset = resetText(error, locale);
      return {
        title: 'This workspace’s budget is used up',
        advice: reset ? `It resets ${reset}. Mock runs still work.` : 'Mock runs still work.',
        action: 'none',
      };
    }
    case 'timeout':
      if (mock) {
        return {
          title: 'The simulated run took too long',
          advice: limit
            ? `The limit is ${limit}. The agent’s mock answers more slowly than that.`
            : 'The agent’s mock answers too slowly.',
          action: error.retryable === false ? 'none' : 'retry',
          developerHint:
            'The mock’s latency or injected hang is longer than the executor’s timeout (limits.timeoutMs).',
        };
      }
      return {
        title: 'The agent took too long',
        advice: limit ? `The limit is ${limit}. Retry, or shorten the input.` : 'Retry, or shorten the input.',
        action: 'retry',
      };
    case 'cancelled':
      return { title: 'The run was stopped', advice: 'Run it again when you are ready.', action: 'run-again' };
    case 'interrupted':
      return {
        title: 'The run was interrupted',
        advice: 'The server running it stopped before it finished. Run it again.',
        action: 'run-again',
      };
    case 'max_steps_reached':
      return mock
        ? {
            title: 'The agent used all its steps without answering',
            advice: 'The mock script loops past the step limit: running again does the same.',
            action: 'none',
            developerHint: 'Give the mock script a final text step, or raise maxSteps.',
          }
        : {
            title: 'The agent used all its steps without answering',
            advice: 'It kept calling tools. Run again, or rephrase the input.',
            action: 'retry',
          };
    case 'tool_call_invalid':
      return mock
        ? {
            title: 'The agent kept calling a tool the wrong way',
            advice: 'The mock script’s tool calls are invalid: running again does the same.',
            action: 'none',
            developerHint:
              'Fix the tool calls in the agent’s mock steps (name, JSON arguments, the tool’s input schema).',
          }
        : {
            title: 'The agent kept calling a tool the wrong way',
            advice: 'Models can answer differently each time: run again, or rephrase the input.',
            action: 'retry',
          };
    case 'tool_failed':
      return {
        title: 'A tool the agent used failed',
        advice: mock
          ? 'Running again fails the same way: see the tool step for the error.'
          : 'Retry, or see the tool step for the error.',
        action: mock ? 'none' : 'retry',
      };
    case 'not_agentry_endpoint':
      return {
        title: 'This panel is not connected to Agentry',
        advice: 'The app’s setup needs fixing; this is not something you can change here.',
        action: 'none',
        developerHint:
          'The client’s baseUrl answers, but not as an Agentry endpoint: check the URL and the route mounting.',
      };
    case 'internal':
      // An unexpected failure may pass (a server restarting): its user message says to try again too.
      return { title: 'Something went wrong', advice: 'Retry, or send the details to support.', action: 'retry' };
    default:
      return {
        title: 'Something went wrong',
        advice: error.retryable ? 'Retry, or send the details to support.' : 'Send the details to support.',
        action: error.retryable ? 'retry' : 'none',
      };
  }
}
