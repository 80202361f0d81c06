import type { ValidationIssue } from '../../errors';
import type { AgentSummary } from '../../executor/types';
import { checkInputWith, initialInputText } from './check-input';
import { inputChecks } from './input-checks';
import type { InputCheck } from './types';

/** The input text of the selected agent: what was typed, what was last sent, and its check. */
export interface InputDraft {
  readonly text: string;
  /** Starts the text for `agent` (its example or schema defaults) when it is new; `defaultInput` once. */
  follow(agent: AgentSummary | undefined): void;
  /** Replaces the text; false when it is the same. */
  setText(text: string): boolean;
  /** Remembers the text as sent, so the service's issues show on it. */
  markSent(): void;
  /** Shows a run's input as the text, as sent. */
  showSent(input: unknown): void;
  /** The text checked against `agent`; the same object while nothing changed. */
  check(agent: AgentSummary | undefined, serverIssues: readonly ValidationIssue[]): InputCheck;
}

export function createInputDraft(defaultInput: string | undefined): InputDraft {
  let agentId: string | undefined;
  let text = '';
  let sent: string | undefined;
  let first = defaultInput;
  let memo: { check: InputCheck; key: unknown[] } | undefined;

  return {
    get text() {
      return text;
    },
    follow(agent) {
      if (!agent || agent.id === agentId) return;
      agentId = agent.id;
      text = first ?? initialInputText(agent);
      sent = undefined;
      first = undefined;
    },
    setText(next) {
      if (next === text) return false;
      text = next;
      return true;
    },
    markSent() {
      sent = text;
    },
    showSent(input) {
      text = JSON.stringify(input, null, 2) ?? '';
      sent = text;
    },
    check(agent, serverIssues) {
      const checks = inputChecks();
      const key = [text, sent, agent, serverIssues, checks];
      if (memo && key.every((value, index) => value === memo?.key[index])) return memo.check;
      const result = checkInputWith(text, agent, checks);
      // The service's issues belong to the text it was sent; local problems come first.
      const fromServer = result.issues.length === 0 && text === sent && serverIssues.length > 0;
      const check: InputCheck = {
        text,
        state: result.state,
        issues: fromServer ? serverIssues : result.issues,
        source: fromServer ? 'server' : 'client',
        ...('value' in result ? { value: result.value } : {}),
      };
      memo = { check, key };
      return check;
    },
  };
}
