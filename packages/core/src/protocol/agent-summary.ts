import type { ExecutionMode } from '../agent';

/** What a tenant sees of an agent: enough for a UI to render a form and the mode switch. */
export interface AgentSummary {
  id: string;
  name: string;
  description?: string;
  /** JSON Schema of the input (`z.toJSONSchema(schema, { io: 'input' })`). */
  inputSchema: Record<string, unknown>;
  /** JSON Schema of the output, when the agent has one. */
  outputSchema?: Record<string, unknown>;
  /** An example input. */
  example?: unknown;
  modes: readonly ExecutionMode[];
  /** The live provider and model, when set. */
  model?: { provider: string; model: string };
  /** Whether live mode can run for this tenant, and why not. */
  live: { available: boolean; reason?: string };
}
