// Message content in the shapes of the GenAI conventions' JSON schemas
// (gen-ai-input-messages.json, gen-ai-output-messages.json), recorded only when the host opts in
// (`captureContent`), and always through the redactor: a key pasted into a prompt, or echoed
// by a model or a tool, never reaches an attribute.
import type { Redactor } from '../logging';
import type { ProviderMessage, ProviderToolCall } from '../providers';

type MessagePart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; response: string };

interface SemanticMessage {
  role: string;
  parts: MessagePart[];
  finish_reason?: string;
}

/** Tool arguments as the model sent them: parsed when they are JSON, else the text, redacted either way. */
export function redactedArguments(argsText: string, redactor: Redactor): unknown {
  try {
    return redactor.redactValue(JSON.parse(argsText) as unknown);
  } catch {
    return redactor.redactString(argsText);
  }
}

function toolCallParts(toolCalls: readonly ProviderToolCall[], redactor: Redactor): MessagePart[] {
  return toolCalls.map((call) => ({
    type: 'tool_call',
    id: call.id,
    name: call.name,
    arguments: redactedArguments(call.argsText, redactor),
  }));
}

/** `gen_ai.input.messages`: the conversation sent to the model, as JSON text. */
export function inputMessagesAttribute(messages: readonly ProviderMessage[], redactor: Redactor): string {
  const converted: SemanticMessage[] = messages.map((message) => {
    if (message.role === 'tool') {
      return {
        role: 'tool',
        parts: [
          { type: 'tool_call_response', id: message.toolCallId, response: redactor.redactString(message.content) },
        ],
      };
    }
    const parts: MessagePart[] =
      message.content === '' ? [] : [{ type: 'text', content: redactor.redactString(message.content) }];
    if ('toolCalls' in message) parts.push(...toolCallParts(message.toolCalls, redactor));
    return { role: message.role, parts };
  });
  return JSON.stringify(converted);
}

/** `gen_ai.output.messages`: the model's answer, as JSON text. */
export function outputMessagesAttribute(
  answer: { text: string; toolCalls: readonly ProviderToolCall[]; finishReason: string | undefined },
  redactor: Redactor,
): string {
  const parts: MessagePart[] =
    answer.text === '' ? [] : [{ type: 'text', content: redactor.redactString(answer.text) }];
  parts.push(...toolCallParts(answer.toolCalls, redactor));
  const message: SemanticMessage = { role: 'assistant', parts };
  if (answer.finishReason !== undefined) message.finish_reason = answer.finishReason;
  return JSON.stringify([message]);
}

/** A value recorded as an attribute (tool arguments, a tool result): JSON text, redacted. */
export function redactedJson(value: unknown, redactor: Redactor): string {
  if (typeof value === 'string') return redactor.redactString(value);
  try {
    return JSON.stringify(redactor.redactValue(value)) ?? 'null';
  } catch {
    return '[unserializable]';
  }
}
