'use client';

import type { AgentService, ExecutionResult } from '@agentry/core';
import type { SaveRunAs, SaveRunResult } from '@agentry/core/client';
import { useState } from 'react';

/** A service that can save runs: the client of an Agentry server (`createClient`). */
type SavingService = { saveRun(executionId: string, options: { as: SaveRunAs }): Promise<SaveRunResult> };

/** The words of {@link SaveRun}. */
export interface SaveRunLabels {
  saveAsTape: string;
  saveAsMock: string;
  saving: string;
  saved: (result: SaveRunResult) => string;
  saveFailed: (message: string) => string;
  /** Shown when the host refuses this user (`forbidden`, 403): the buttons are then disabled. */
  notAllowed: string;
}

const defaultSaveRunLabels: SaveRunLabels = {
  saveAsTape: 'Save as tape',
  saveAsMock: 'Save as mock',
  saving: 'Saving…',
  saved: (result) => `Saved as ${result.saved}: ${result.where}`,
  saveFailed: (message) => `Not saved: ${message}`,
  notAllowed: 'Not saved: you are not allowed to save runs of this agent. Ask an administrator for access.',
};

/** The host said no to this user (`forbidden`): asking again will not help. */
function isForbidden(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'forbidden';
}

/** Props of {@link SaveRun}. */
export interface SaveRunProps {
  /** The panel's service; only a server client can save (`saveRun`). */
  service: AgentService | undefined;
  /** The agent summary's `canSaveRuns`: the host allows this user. */
  allowed: boolean | undefined;
  /** The run shown: only a live run that succeeded can be saved. */
  result: ExecutionResult | undefined;
  labels?: Partial<SaveRunLabels>;
}

function savingService(service: AgentService | undefined): SavingService | undefined {
  return typeof (service as Partial<SavingService> | undefined)?.saveRun === 'function'
    ? (service as unknown as SavingService)
    : undefined;
}

/** "Save as tape" and "Save as mock" for a completed live run, shown only to users the host allows. */
export function SaveRun({ service, allowed, result, labels }: SaveRunProps) {
  const words = { ...defaultSaveRunLabels, ...labels };
  const [state, setState] = useState<{ kind: 'idle' | 'saving' } | { kind: 'done' | 'forbidden'; text: string }>({
    kind: 'idle',
  });
  const saver = savingService(service);
  if (!allowed || !saver || result?.status !== 'succeeded' || result.mode !== 'live') return null;
  const run = result;
  const target: SavingService = saver;
  async function save(as: SaveRunAs) {
    setState({ kind: 'saving' });
    try {
      setState({ kind: 'done', text: words.saved(await target.saveRun(run.id, { as })) });
    } catch (error) {
      if (isForbidden(error)) setState({ kind: 'forbidden', text: words.notAllowed });
      else setState({ kind: 'done', text: words.saveFailed(error instanceof Error ? error.message : String(error)) });
    }
  }
  const busy = state.kind === 'saving';
  const refused = state.kind === 'forbidden';
  return (
    <div className="agentry-save-run" data-state={state.kind}>
      {(['tape', 'mock'] as const).map((as) => (
        <button
          key={as}
          type="button"
          className="agentry-button agentry-button--ghost"
          disabled={busy || refused}
          onClick={() => void save(as)}
        >
          {as === 'tape' ? words.saveAsTape : words.saveAsMock}
        </button>
      ))}
      <span role="status" aria-live="polite">
        {busy ? words.saving : 'text' in state ? state.text : ''}
      </span>
    </div>
  );
}
