import type { AgentryClient } from '../../client/create-client';
import type { AgentSummary } from '../../protocol';
import type { VerifyOptions } from './arguments';
import type { Credential } from './credentials';
import type { Progress } from './progress';
import type { Recorder } from './recorder';

/** One tenant as verify sees it: its credential, its client and its agents. */
export interface TenantSession {
  /** `A` (`--auth`) or `B` (`--auth-b`). */
  name: 'A' | 'B';
  credential: Credential;
  client: AgentryClient;
  agents: AgentSummary[];
}

/** What every phase gets. */
export interface VerifyContext {
  options: VerifyOptions;
  recorder: Recorder;
  a: TenantSession;
  b: TenantSession | undefined;
  progress: Progress;
  now: () => number;
}

/** A mock input for an agent: its published example, else the defaults of its schema, checked against it. */
export interface RunnableAgent {
  agent: AgentSummary;
  input: unknown;
}
