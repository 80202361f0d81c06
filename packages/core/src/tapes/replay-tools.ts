// `replayTools: 'recorded'`: the results the agent's tools gave when the run was recorded, found
// on the tape, so a replay never calls the tools (no side effects, no network, same answers).
import { AgentryError, isAgentryErrorCode, serializeError } from '../errors';
import type { Redactor } from '../logging';
import type { ProviderMessage, ProviderToolResultMessage, RecordedToolResult, RecordedToolStep } from '../providers';
import { canonicalJson } from './canonical-json';
import { redactMessageJson, redactToolCall } from './redact-json-text';
import type { TapeEntry } from './tape-types';

/** A result of the record, as the model was shown it (JSON text; an error as `{ error: { code, message } }`). */
function toRecordedResult(message: ProviderToolResultMessage): RecordedToolResult {
  const base = { id: message.toolCallId, name: message.toolName, durationMs: 0 };
  let value: unknown = message.content;
  try {
    value = JSON.parse(message.content);
  } catch {
    // Not JSON (a hand-edited tape): the text itself.
  }
  if (message.isError === true) {
    const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' && isAgentryErrorCode(error.code) ? error.code : 'tool_failed';
    const text = typeof error?.message === 'string' ? error.message : message.content;
    return {
      result: { ...base, status: 'failed', error: serializeError(new AgentryError(code, text)) },
      message: { ...message },
    };
  }
  return { result: { ...base, status: 'succeeded', output: value }, message: { ...message } };
}

function missing(call: { id: string; name: string }, where: string): RecordedToolResult {
  const error = new AgentryError(
    'tool_failed',
    `No recorded result for the call of tool "${call.name}" (${call.id}) on tape ${where}; on replay the tools are not called (replayTools: 'recorded'). Record the run again, or replay with replayTools: 'live'.`,
  );
  const serialized = serializeError(error);
  return {
    result: { id: call.id, name: call.name, durationMs: 0, status: 'failed', error: serialized },
    message: {
      role: 'tool',
      toolCallId: call.id,
      toolName: call.name,
      content: JSON.stringify({ error: { code: serialized.code, message: serialized.message } }),
      isError: true,
    },
  };
}

/**
 * The recorded results of `step`'s tool calls: from the recording of the *next* model call,
 * whose request holds this step's messages, then the assistant's calls, then the results. A call
 * without one gets a `tool_failed` result that says so (the next model call then misses, loudly).
 */
export function recordedToolResults(
  entries: readonly TapeEntry[],
  step: RecordedToolStep,
  redactor: Redactor,
  where: string,
): RecordedToolResult[] {
  const redact = (message: ProviderMessage) => redactor.redactValue(redactMessageJson(message, redactor));
  const prefix = canonicalJson(step.messages.map(redact));
  const calls = canonicalJson(step.toolCalls.map((call) => redactToolCall(call, redactor)));
  const count = step.messages.length;
  let results: Map<string, ProviderToolResultMessage> | undefined;
  for (const entry of entries) {
    const messages = entry.request.messages;
    const turn = messages[count];
    if (turn === undefined || turn.role !== 'assistant' || !('toolCalls' in turn)) continue;
    if (canonicalJson(turn.toolCalls) !== calls || canonicalJson(messages.slice(0, count)) !== prefix) continue;
    results = new Map();
    for (const message of messages.slice(count + 1)) {
      if (message.role !== 'tool') break;
      results.set(message.toolCallId, message);
    }
    break;
  }
  return step.toolCalls.map((call) => {
    const message = results?.get(redactor.redactString(call.id));
    return message === undefined ? missing(call, where) : toRecordedResult(message);
  });
}
