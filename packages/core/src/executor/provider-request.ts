import type { ProviderRequest } from '../providers';
import type { PreparedRun } from './prepare';

/** The request for one attempt: what the model call needs, built from the prepared run. */
export function buildProviderRequest(prepared: PreparedRun, executionId: string, attempt: number): ProviderRequest {
  const { agent } = prepared;
  const request: ProviderRequest = {
    agent,
    input: prepared.input,
    messages: prepared.messages,
    model: prepared.model,
    mode: prepared.mode,
    executionId,
    attempt,
  };
  if (agent.model?.maxOutputTokens !== undefined) request.maxOutputTokens = agent.model.maxOutputTokens;
  if (agent.model?.temperature !== undefined) request.temperature = agent.model.temperature;
  if (prepared.outputSchema !== undefined)
    request.outputSchema = { name: agent.id.replace(/-/g, '_'), schema: prepared.outputSchema };
  if (prepared.seed !== undefined) request.seed = prepared.seed;
  return request;
}
