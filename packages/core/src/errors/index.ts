export type { AgentryErrorOptions, ErrorLimit, SerializedAgentryError, ValidationIssue } from './agentry-error';
export {
  AgentryError,
  cloneError,
  deserializeError,
  isAgentryError,
  isSerializedAgentryError,
  serializeError,
  toAgentryError,
} from './agentry-error';
export type { AgentryErrorCode, AgentryErrorFamily } from './codes';
export { ERROR_CODES, errorFamily, isAgentryErrorCode } from './codes';
