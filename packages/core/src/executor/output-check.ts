import type { AnyAgent } from '../agent';
import { AgentryError, cloneError } from '../errors';
import { toValidationIssues } from '../validation';
import { outputShapeProblem } from '../validation/json-depth';
import { issuesSummary, safeParseCatching } from './safe-parse';
import { fromUserCode } from './user-code';

/** Parses a model's JSON text, tolerating a Markdown code fence around it. */
export function parseModelJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(text);
  try {
    return { ok: true, value: JSON.parse(fenced?.[1] ?? text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** What {@link checkOutput} reads: the answer as it arrived. */
export interface AnswerToCheck {
  agent: AnyAgent;
  text: string;
  /** The provider's own parsed object, if it made one. */
  object: unknown;
  finishReason: string | undefined;
  executionId: string;
  providerId: string;
  maxDepth: number;
}

/**
 * The output of a successful answer: the text for an agent without an output schema, else
 * the object (the provider's, or the text parsed as JSON) checked against the schema.
 */
export async function checkOutput(answer: AnswerToCheck): Promise<{ output: unknown } | { failure: AgentryError }> {
  const { agent, executionId, providerId } = answer;
  if (agent.output === undefined) return { output: answer.text };
  let candidate = answer.object;
  if (candidate === undefined) {
    const parsed = parseModelJson(answer.text);
    if (!parsed.ok) {
      const cutOff = answer.finishReason === 'length' ? '; the answer was cut off at the token limit' : '';
      return {
        failure: new AgentryError(
          'output_invalid',
          `Agent "${agent.id}" answered text that is not JSON (${parsed.message})${cutOff}.`,
          { executionId, provider: providerId },
        ),
      };
    }
    candidate = parsed.value;
  }
  const shapeProblem = outputShapeProblem(candidate, answer.maxDepth);
  if (shapeProblem !== undefined) {
    return {
      failure: new AgentryError('output_invalid', `The output of agent "${agent.id}" ${shapeProblem}.`, {
        executionId,
        provider: providerId,
      }),
    };
  }
  const checked = await safeParseCatching(agent.output, candidate);
  if ('thrown' in checked) {
    // A refinement or transform of the agent's own schema threw: publicFailure makes it generic.
    const message = `The output schema of agent "${agent.id}" threw while validating the output`;
    return { failure: cloneError(fromUserCode(checked.thrown, message), { executionId }) };
  }
  if (checked.success) return { output: checked.data };
  const issues = toValidationIssues(checked.error.issues);
  return {
    failure: new AgentryError(
      'output_invalid',
      `The output of agent "${agent.id}" does not match its output schema: ${issuesSummary(issues)}.`,
      { executionId, provider: providerId, issues },
    ),
  };
}
