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
  /**
   * The largest input the service accepts, in bytes of UTF-8 JSON (the executor's
   * `limits.maxInputBytes`); larger input is refused with `input_too_large`. Optional: services
   * before 0.2 and remote agents may not say. Added for the TestPanel's size counter.
   */
  maxInputBytes?: number;
  /** An example input. */
  example?: unknown;
  modes: readonly ExecutionMode[];
  /** The live provider and model, when set. */
  model?: { provider: string; model: string };
  /** Whether live mode can run for this tenant, and why not. */
  live: { available: boolean; reason?: string };
  /**
   * `true` when this user may save a completed live run of the agent as a tape or a mock
   * (`POST /executions/:id/tape`): the host's `saveRuns.canSave` said so. Absent: not allowed.
   */
  canSaveRuns?: boolean;
}
