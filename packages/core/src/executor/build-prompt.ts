import type { AnyAgent, ChatMessage } from '../agent';
import { callUserCodeNow, seeServerLog, userCodeFailure } from './user-code';

const ROLES: readonly string[] = ['system', 'user', 'assistant'];

function isMessage(value: unknown): value is ChatMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ChatMessage).content === 'string' &&
    ROLES.includes((value as ChatMessage).role)
  );
}

const promptFailed = (agent: AnyAgent): string =>
  seeServerLog(`The prompt of agent "${agent.id}" failed while building the messages`);
const callPrompt = (agent: AnyAgent, input: unknown): unknown => agent.prompt(input);

/**
 * Runs the agent's `prompt` on the validated input. A throw, or an answer that is neither a
 * string nor a list of messages, is a generic `internal` error naming the agent (user-code.ts).
 */
export function buildPrompt(agent: AnyAgent, input: unknown): ChatMessage[] | Promise<ChatMessage[]> {
  const built: unknown = callUserCodeNow(promptFailed, callPrompt, agent, input);
  return built instanceof Promise ? built.then((value) => toMessages(agent, value)) : toMessages(agent, built);
}

function toMessages(agent: AnyAgent, built: unknown): ChatMessage[] {
  if (typeof built === 'string') return [{ role: 'user', content: built }];
  if (Array.isArray(built) && built.every(isMessage)) return built;
  throw userCodeFailure(
    seeServerLog(`The prompt of agent "${agent.id}" returned neither a string nor a list of messages`),
    new TypeError('prompt() must return a string or an array of { role, content } messages.'),
  );
}
