import * as z from 'zod';
import type { AnyAgent, ExecutionMode } from '../agent';
import type { ProviderAdapter, ProviderTool } from '../providers';
import type { AnyTool } from '../tools';

/** An agent's tools as the loop uses them, by mode: the tools offered, by name, and their provider form. */
export interface AgentTools {
  /** The tools offered in this mode, by the name the model calls them. */
  byName: ReadonlyMap<string, AnyTool>;
  /** Their definitions for the provider request (JSON Schema of each input). */
  providerTools: ProviderTool[];
}

// Built once per agent object and mode: converting schemas to JSON Schema is not free.
const toolsByAgent = new WeakMap<AnyAgent, Partial<Record<ExecutionMode, AgentTools>>>();

/**
 * The tools of `agent` offered in `mode` (a tool's `modes` may leave it out: then the model is
 * not told of it, and a call to it is a call to an unknown tool). `undefined` for an agent
 * without tools, so the plain path stays as it was.
 */
export function agentTools(agent: AnyAgent, mode: ExecutionMode): AgentTools | undefined {
  if (agent.tools === undefined) return undefined;
  let byMode = toolsByAgent.get(agent);
  if (byMode === undefined) {
    byMode = {};
    toolsByAgent.set(agent, byMode);
  }
  let tools = byMode[mode];
  if (tools === undefined) {
    const byName = new Map<string, AnyTool>();
    const providerTools: ProviderTool[] = [];
    for (const [key, tool] of Object.entries(agent.tools as Record<string, AnyTool>)) {
      if (!tool.modes.includes(mode)) continue;
      const name = tool.name ?? key;
      byName.set(name, tool);
      const inputSchema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >;
      delete inputSchema.$schema;
      providerTools.push({ name, description: tool.description, inputSchema });
    }
    tools = { byName, providerTools };
    byMode[mode] = tools;
  }
  return tools;
}

/** Why `provider` cannot run `agent`'s tools (it does not declare `capabilities.tools`), or undefined. */
export function toolsProblem(agent: AnyAgent, provider: ProviderAdapter): string | undefined {
  if (agent.tools === undefined || provider.capabilities?.tools === true) return undefined;
  return `Agent "${agent.id}" has tools, but the "${provider.id}" provider cannot call tools (its capabilities.tools is not true). Use a provider that supports tool calls, or remove the tools.`;
}
