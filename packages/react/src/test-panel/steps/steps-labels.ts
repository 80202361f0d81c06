import type { RunStepStatus, RunToolCallStatus } from '@agentry/core/client/steps';

/** The strings of the tool steps timeline; part of `TestPanelLabels`, overridable the same way. */
export interface StepsLabels {
  /** Heading of the timeline. */
  steps: string;
  /** Under the heading: how many steps and tool calls, and how many calls failed. */
  stepsSummary: (steps: number, calls: number, failed: number) => string;
  /** A step's heading (1-based). */
  step: (number: number) => string;
  stepStatus: Record<RunStepStatus, string>;
  toolCallStatus: Record<RunToolCallStatus, string>;
  /** A step's tokens (in and out), when the provider reported them. */
  stepTokens: (tokens: string) => string;
  /** A step that called no tool: the model answered. */
  stepAnswered: string;
  toolArguments: string;
  toolOutput: string;
  toolError: string;
  /** Opens every call's arguments and result. */
  expandAll: string;
  collapseAll: string;
  /** Shown when a JSON value is longer than the timeline shows. */
  valueTruncated: (shown: string, total: string) => string;
}

/** The English strings of the tool steps timeline. */
export const defaultStepsLabels: StepsLabels = {
  steps: 'Tool steps',
  stepsSummary: (steps, calls, failed) =>
    [
      steps === 1 ? '1 step' : `${steps} steps`,
      calls === 1 ? '1 tool call' : `${calls} tool calls`,
      ...(failed > 0 ? [`${failed} failed`] : []),
    ].join(' · '),
  step: (number) => `Step ${number}`,
  stepStatus: { running: 'Running…', finished: 'Done', stopped: 'Stopped' },
  toolCallStatus: { running: 'Running…', succeeded: 'Succeeded', failed: 'Failed', 'not-run': 'Not run' },
  stepTokens: (tokens) => `${tokens} tokens`,
  stepAnswered: 'Answered without calling a tool.',
  toolArguments: 'Arguments',
  toolOutput: 'Result',
  toolError: 'Error',
  expandAll: 'Expand all',
  collapseAll: 'Collapse all',
  valueTruncated: (shown, total) => `Showing the first ${shown} of ${total}.`,
};
