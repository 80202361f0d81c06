export type {
  AnyTool,
  ToolConfig,
  ToolContext,
  ToolDefinition,
  ToolInput,
  ToolOutput,
  ToolResult,
  ToolRetryOptions,
  ToolSet,
} from './define-tool';
export { defineTool, isTool, isToolName } from './define-tool';
export type { StopCondition, StopConditionState, StopConditionStep, StopWhen } from './stop-condition';
export { hasToolCall, stepCountIs, stopConditionsOf } from './stop-condition';
