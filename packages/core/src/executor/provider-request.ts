import type { AnyAgent } from '../agent';
import type { MockRequestOptions, ProviderMessage, ProviderOptions, ProviderRequest, ProviderTool } from '../providers';
import type { PreparedRun } from './prepare';

// Built once per agent object: the options do not change between runs.
const optionsByAgent = new WeakMap<AnyAgent, ProviderOptions>();

/**
 * The per-provider options of an agent's requests: the agent's `model.providerOptions`, as
 * declared, and `mock`, derived from the agent's own definition (`defineAgent({ mock })`), which
 * is where the mock's behaviour is declared. The executor knows no other provider by name.
 */
export function providerOptionsOf(agent: AnyAgent): ProviderOptions {
  let options = optionsByAgent.get(agent);
  if (options === undefined) {
    const mock: MockRequestOptions = { agentName: agent.name, hasOutputSchema: agent.output !== undefined };
    if (agent.mock !== undefined) mock.mock = agent.mock;
    options = Object.freeze({ ...agent.model?.providerOptions, mock: Object.freeze(mock) as Record<string, unknown> });
    optionsByAgent.set(agent, options);
  }
  return options;
}

/** A tool-using run's conversation so far, and the tools offered: what each step's request carries. */
export interface Conversation {
  messages: ProviderMessage[];
  tools: ProviderTool[];
}

/** The request for one attempt (provider specification v1), built from the prepared run. */
export function buildProviderRequest(
  prepared: PreparedRun,
  executionId: string,
  attempt: number,
  conversation?: Conversation,
): ProviderRequest {
  const { agent } = prepared;
  const request: ProviderRequest = {
    agentId: agent.id,
    input: prepared.input,
    messages: conversation ? conversation.messages : prepared.messages,
    model: prepared.model,
    executionId,
    attempt,
    providerOptions: providerOptionsOf(agent),
  };
  if (agent.model?.maxOutputTokens !== undefined) request.maxOutputTokens = agent.model.maxOutputTokens;
  if (agent.model?.temperature !== undefined) request.temperature = agent.model.temperature;
  if (prepared.outputSchema !== undefined)
    request.outputSchema = { name: agent.id.replace(/-/g, '_'), schema: prepared.outputSchema };
  if (prepared.seed !== undefined) request.seed = prepared.seed;
  if (conversation && conversation.tools.length > 0) request.tools = conversation.tools;
  return request;
}
