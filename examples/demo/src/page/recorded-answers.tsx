import type { RecordedRun } from './config';

export interface RecordedAnswersProps {
  workspaceName: string;
  /** This workspace's recorded inputs (live mode replays their answers). */
  recorded: readonly RecordedRun[];
  /** Opens the panel on the agent, with the input, in live mode. */
  onTry: (run: RecordedRun) => void;
}

/** A short preview of an input: its longest string value (the text, not an option), cut at a word. */
function preview(input: unknown): string {
  const strings =
    input && typeof input === 'object'
      ? Object.values(input).filter((value): value is string => typeof value === 'string')
      : [];
  const longest = strings.sort((left, right) => right.length - left.length)[0];
  const text = longest ?? JSON.stringify(input);
  return text.length > 90 ? `${text.slice(0, 90).replace(/\s+\S*$/, '')}…` : text;
}

/**
 * Without a model key, the demo's live mode replays its committed tapes, which answer only the
 * inputs someone recorded: this card offers those of the workspace, so live can be tried offline.
 */
export function RecordedAnswers({ workspaceName, recorded, onTry }: RecordedAnswersProps) {
  return (
    <section className="recorded" aria-labelledby="recorded-title">
      <h2 id="recorded-title" className="card-title">
        Recorded answers
      </h2>
      <p className="muted small">
        No model key on this server: live mode replays answers recorded from a real model, at the recorded pace. Nothing
        is sent or billed. Other inputs have no recording and fail with the difference.
      </p>
      {recorded.length === 0 ? (
        <p className="recorded-empty">No recorded answers in {workspaceName}: tapes are kept per workspace.</p>
      ) : (
        <ul className="recorded-list" aria-label={`Recorded answers in ${workspaceName}`}>
          {recorded.map((run, index) => (
            <li key={`${run.agentId}-${index}`} className="recorded-item">
              <span className="recorded-agent">{run.agentName}</span>
              <span className="recorded-input">{preview(run.input)}</span>
              <button type="button" className="recorded-try" onClick={() => onTry(run)}>
                Try it live (replay)
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
