import type { LiveOptions, ModelSettings, ProviderAdapter } from '@agentry/core';
import { createDirectoryTapeStore, createRunCapture, createRunSaver, type RunSaver } from '@agentry/core/tapes';
import {
  defaultDemoTapes,
  demoTapeMode,
  hasTapes,
  type RecordedInput,
  recordedInputs,
  replayOnly,
  withDemoTapes,
} from './demo-tapes';

/** What live mode looks like for this run of the demo, decided from the environment. */
export interface LiveConfig {
  /** The model every sample agent uses live (shown on mock runs too). */
  model: ModelSettings;
  /** Live providers by key (never `mock`). */
  providers: Record<string, ProviderAdapter>;
  /** The executor's kill switch. */
  live: LiveOptions;
  /** One line for the console. */
  summary: string;
  // --- tapes (issue 14) ---
  /** With a key: "Save as tape / mock" from the panel, into the demo's tape folder (everyone may, in the demo). */
  saveRuns?: RunSaver;
  /**
   * Set when live mode replays the tape folder (no key): the inputs its tapes answer, per
   * workspace, for the page to offer. Live runs are then replays, never real calls.
   */
  replay?: { inputs: Record<string, RecordedInput[]> };
  // --- end tapes ---
}

/** The demo's environment variables. */
export interface DemoEnvironment {
  OPENAI_API_KEY?: string | undefined;
  ANTHROPIC_API_KEY?: string | undefined;
  /** `off` turns the kill switch on: live shows as disabled, with the reason. */
  AGENTRY_LIVE?: string | undefined;
  /** @default 'gpt-4.1-mini' */
  OPENAI_MODEL?: string | undefined;
  /** @default 'claude-haiku-4-5' */
  ANTHROPIC_MODEL?: string | undefined;
  // --- tapes (issue 14) ---
  /** `record` (default with a key), `replay` (default without), `auto` or `off`: see docs/tapes.md. */
  AGENTRY_TAPES?: string | undefined;
  /** The tape folder. @default examples/demo/tapes */
  AGENTRY_DEMO_TAPES?: string | undefined;
  // --- end tapes ---
}

/**
 * Live mode when a key is set (OpenAI first, then Anthropic), mock only otherwise. The
 * provider subpaths are imported only when their key is set, so the demo never loads an
 * SDK it does not use.
 */
export async function resolveLiveConfig(environment: DemoEnvironment): Promise<LiveConfig> {
  const providers: Record<string, ProviderAdapter> = {};
  let model: ModelSettings | undefined;
  if (environment.OPENAI_API_KEY) {
    const { openaiProvider } = await import('@agentry/core/openai');
    providers.openai = openaiProvider({ apiKey: environment.OPENAI_API_KEY });
    model = { provider: 'openai', model: environment.OPENAI_MODEL || 'gpt-4.1-mini' };
  }
  if (environment.ANTHROPIC_API_KEY) {
    const { anthropicProvider } = await import('@agentry/core/anthropic');
    providers.anthropic = anthropicProvider({ apiKey: environment.ANTHROPIC_API_KEY });
    model ??= { provider: 'anthropic', model: environment.ANTHROPIC_MODEL || 'claude-haiku-4-5' };
  }
  // --- tapes (issue 14) ---
  const tapesDir = environment.AGENTRY_DEMO_TAPES || defaultDemoTapes();
  const tapeMode = demoTapeMode(environment.AGENTRY_TAPES, model !== undefined);
  const capture = model === undefined ? undefined : createRunCapture();
  for (const [id, provider] of Object.entries(providers)) {
    const taped = withDemoTapes(provider, tapeMode, tapesDir);
    providers[id] = capture ? capture.wrap(taped) : taped;
  }
  const saveRuns = capture
    ? createRunSaver({ store: createDirectoryTapeStore({ dir: tapesDir }), capture, canSave: () => true })
    : undefined;
  // No key, and recordings to replay: live mode answers from them (a request nobody recorded fails with the diff).
  const replaying = model === undefined && tapeMode !== 'off' && tapeMode !== 'record' && hasTapes(tapesDir);
  if (replaying) {
    providers.openai = replayOnly('openai', tapesDir);
    model = { provider: 'openai', model: environment.OPENAI_MODEL || 'gpt-4.1-mini' };
  }
  const tapeNote = tapeMode === 'off' || !model ? '' : ` Tapes: ${tapeMode} (${tapesDir}).`;
  // --- end tapes ---
  // Without a key the agents keep the model they would use live, so mock runs show it.
  const wouldUse: ModelSettings = model ?? { provider: 'openai', model: environment.OPENAI_MODEL || 'gpt-4.1-mini' };
  const switchedOff = environment.AGENTRY_LIVE?.trim().toLowerCase() === 'off';
  if (switchedOff) {
    return {
      model: wouldUse,
      providers,
      live: { enabled: false, reason: 'Live mode is switched off by the operator (AGENTRY_LIVE=off).' },
      summary: 'Live mode: switched off (AGENTRY_LIVE=off). Mock mode only.',
    };
  }
  if (!model) {
    return {
      model: wouldUse,
      providers,
      live: {
        enabled: false,
        reason: 'No model API key on this server. Start the demo with OPENAI_API_KEY or ANTHROPIC_API_KEY set.',
      },
      summary: 'Live mode: off (set OPENAI_API_KEY or ANTHROPIC_API_KEY to enable it). Mock mode only.',
    };
  }
  if (replaying) {
    return {
      model,
      providers,
      live: { enabled: true },
      replay: { inputs: await recordedInputs(tapesDir) },
      summary: `Live mode: a replay of the recorded answers in ${tapesDir} (no key set: nothing is sent or billed; other inputs fail with the difference). Mock mode stays the default.`,
    };
  }
  return {
    model,
    providers,
    live: { enabled: true },
    ...(saveRuns ? { saveRuns } : {}),
    summary: `Live mode: available (${model.provider} · ${model.model}).${tapeNote} Mock mode stays the default.`,
  };
}
