export type {
  AgentConfig,
  AgentDefinition,
  AgentInput,
  AgentMock,
  AgentOutput,
  AgentResultOutput,
  AnyAgent,
  ChatMessage,
  ExecutionMode,
  MockContext,
  MockFixture,
  MockOutput,
  ModelSettings,
} from './define-agent';
export { defineAgent } from './define-agent';
export type {
  MockDelay,
  MockFailureKind,
  MockHistory,
  MockHistoryStep,
  MockScript,
  MockStep,
  MockToolCall,
} from './mock-script';
