import { AgentryError } from '../../errors';
import type { Redactor } from '../../logging';
import { type ErrorBase, scrubbedMessage } from './sdk-errors';

const REFUSAL_USER_MESSAGE = 'The model declined to answer this request. Rephrase the input or adjust the prompt.';

/**
 * The error a refusal ends in: `output_invalid`, not retried, with the model's refusal text when
 * it gave one. `execute()` and `stream()` of every provider build it here, so a refusal reads the
 * same whichever path saw it.
 */
export function refusalError(refusal: string | undefined, base: ErrorBase, redactor: Redactor): AgentryError {
  const said = refusal === undefined ? '' : scrubbedMessage(refusal, redactor);
  return new AgentryError('output_invalid', `The model refused to answer${said || '.'}`, {
    ...base,
    retryable: false,
    userMessage: REFUSAL_USER_MESSAGE,
  });
}

/**
 * A generation the server itself ended with an error finish reason (`error`, vLLM's `abort`,
 * DeepSeek's `insufficient_system_resource`) and no error object: a transient server failure,
 * retryable like a 5xx (the executor does not retry once output was streamed).
 */
export function finishedWithError(server: string, rawFinishReason: string | undefined, base: ErrorBase): AgentryError {
  return new AgentryError(
    'provider_error',
    `${server} ended the answer with finish reason "${(rawFinishReason ?? 'error').slice(0, 64)}": the generation failed on the server. Try again.`,
    { ...base, retryable: true },
  );
}
