import { type CheckResult, check } from './checklist';
import type { SecretScanner } from './secret-scan';

/** The line the executor writes once per finished run (`executor/finish.ts`). */
export const COMPLETION_EVENT = 'agentry.execution.completed';
/** The fields the deployment checklist asks for on every completion line. */
export const REQUIRED_LOG_FIELDS = ['tenant_id', 'user_id', 'duration_ms'] as const;

const MAX_LISTED = 8;

/**
 * The server's JSON log (one object per line): every completion line carries `tenant_id`,
 * `user_id` and `duration_ms`; no line holds a key shape or a credential verify was given; and the
 * runs this verify started are in it (else it is probably the wrong file, or an old copy).
 */
export function checkLogs(
  file: string | undefined,
  text: string | undefined,
  scanner: SecretScanner,
  executionIds: readonly string[],
): CheckResult {
  const title = 'Server log: tenant_id, user_id, duration_ms; no secrets';
  if (file === undefined || text === undefined) {
    return check('logs', title, 'skip', 'not checked: pass --logs <server-log.jsonl>');
  }
  const lines = text.split('\n');
  const secrets: string[] = [];
  const fieldFailures: string[] = [];
  const notes: string[] = [];
  let json = 0;
  let notJson = 0;
  let completions = 0;
  let missing = 0;
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    for (const finding of scanner.scan(line)) secrets.push(`${where}: ${finding.shape} — ${finding.excerpt}`);
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
      if (entry === null || typeof entry !== 'object') throw new Error('not an object');
    } catch {
      notJson += 1;
      return;
    }
    json += 1;
    if (entry.event !== COMPLETION_EVENT) return;
    completions += 1;
    if (typeof entry.execution_id === 'string') seen.add(entry.execution_id);
    const absent = REQUIRED_LOG_FIELDS.filter((field) => {
      const value = entry[field];
      if (field === 'duration_ms') return typeof value !== 'number';
      return typeof value !== 'string' || value === '';
    });
    if (absent.length > 0) {
      missing += 1;
      if (missing <= MAX_LISTED) fieldFailures.push(`${where}: ${COMPLETION_EVENT} without ${absent.join(', ')}`);
    }
  });
  const listed = [...secrets.slice(0, MAX_LISTED), ...fieldFailures];
  if (secrets.length > MAX_LISTED) listed.splice(MAX_LISTED, 0, `… and ${secrets.length - MAX_LISTED} more secrets`);
  if (notJson > 0) notes.push(`${notJson} lines are not JSON (ignored)`);
  const ours = executionIds.filter((id) => seen.has(id)).length;
  notes.push(`${ours} of the ${executionIds.length} runs this verify started are in the log`);
  if (completions === 0) {
    return check(
      'logs',
      title,
      secrets.length > 0 ? 'fail' : 'warn',
      `no ${COMPLETION_EVENT} line in ${json} JSON lines: is this the server's log?`,
      [...listed, ...notes],
    );
  }
  const status = listed.length > 0 ? 'fail' : ours === 0 && executionIds.length > 0 ? 'warn' : 'pass';
  return check(
    'logs',
    title,
    status,
    `${completions} completion lines: ${missing} without the fields; ${secrets.length} secret${secrets.length === 1 ? '' : 's'}`,
    [...listed, ...notes],
  );
}
