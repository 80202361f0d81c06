// "Save as mock": a completed live run as a mock script of its agent (what it said, the tools it
// called with which arguments, how long each step took), ready for `defineAgent({ mock })`.
import type { ProviderContext, ProviderResponse } from '../providers';
import { prettyCanonicalJson } from './canonical-json';

type ExecutionStep = NonNullable<ProviderResponse['steps']>[number];

/** The `format` of a saved mock file. */
export const SAVED_MOCK_FORMAT = 'agentry-mock';

/** One step of a saved mock script (a `MockStep` of `defineAgent({ mock: { steps } })`). */
export interface SavedMockStep {
  /** The tools the model called on this step, with the arguments it sent (validated, redacted). */
  toolCalls?: { id: string; name: string; args: unknown }[];
  /** What the model said on this step (the answer, on the last step of a text agent). */
  text?: string;
  /** The answer of an agent with an output schema (on the last step). */
  output?: unknown;
  /** How long the live step took, in ms (the mock waits as long). */
  delayMs: number;
}

/**
 * A saved mock: one completed live run of one agent for one tenant. Use its `mock` as the agent's
 * mock (`defineAgent({ …, mock: saved.mock })`): a mock run then answers as the live run did,
 * tool calls included (the tools' own `mock`s, or their `execute`, answer them).
 */
export interface SavedMockFile {
  format: typeof SAVED_MOCK_FORMAT;
  version: 1;
  tenantId: string;
  agentId: string;
  /** The live run it was saved from. */
  executionId: string;
  /** When it was saved (ISO 8601). */
  savedAt: string;
  /** The input of that run (redacted, as on its record). */
  input: unknown;
  /** The mock script: `defineAgent({ mock: saved.mock })`. */
  mock: { steps: SavedMockStep[] };
}

/** What a saved mock is built from: the record of a succeeded live run (as `GET /executions/:id` answers it). */
export interface SavableRun {
  id: string;
  agentId: string;
  tenantId: string;
  input: unknown;
  output: unknown;
  steps?: readonly ExecutionStep[];
  metrics: { durationMs: number };
}

const ms = (value: number) => Math.max(0, Math.round(value));

/**
 * The mock script of a run: one step per model call of a tool-using run (its tool calls with the
 * arguments sent, its text), and the answer last: `text` for a text agent (a string output),
 * `output` for an agent with an output schema.
 */
export function savedMockOf(run: SavableRun, tenant: ProviderContext['tenant'], savedAt = new Date()): SavedMockFile {
  const answer: Pick<SavedMockStep, 'text' | 'output'> =
    typeof run.output === 'string' ? { text: run.output } : { output: run.output };
  const steps: SavedMockStep[] = [];
  const recorded = run.steps ?? [];
  for (const [index, step] of recorded.entries()) {
    const last = index === recorded.length - 1;
    const out: SavedMockStep = { delayMs: ms(step.durationMs) };
    if (step.toolCalls.length > 0) {
      out.toolCalls = step.toolCalls.map(({ id, name, args }) => ({ id, name, args }));
      if (step.text !== '') out.text = step.text;
    } else if (last) Object.assign(out, answer);
    else if (step.text !== '') out.text = step.text;
    steps.push(out);
  }
  if (steps.length === 0 || steps.at(-1)?.toolCalls !== undefined) {
    steps.push({ ...answer, delayMs: ms(run.metrics.durationMs) });
  }
  return {
    format: SAVED_MOCK_FORMAT,
    version: 1,
    tenantId: tenant.tenantId,
    agentId: run.agentId,
    executionId: run.id,
    savedAt: savedAt.toISOString(),
    input: run.input,
    mock: { steps },
  };
}

/** The text of a saved mock file: sorted keys, two-space indent, final newline. */
export function serializeSavedMock(mock: SavedMockFile): string {
  return prettyCanonicalJson(mock);
}
