import { type CheckResult, check } from './checklist';
import type { Recorder } from './recorder';

const MAX_LISTED = 10;

/** Every answer verify got (headers and bodies, streams included) scanned for key shapes and the given credentials. */
export function checkSecrets(recorder: Recorder): CheckResult {
  const { findings, scanned } = recorder;
  const kilobytes = Math.round(scanned.bytes / 1024);
  const details = findings
    .slice(0, MAX_LISTED)
    .map(
      (finding) =>
        `${finding.method} ${finding.path} (${finding.phase}), ${finding.where}: ${finding.shape} — ${finding.excerpt}`,
    );
  if (findings.length > MAX_LISTED) details.push(`… and ${findings.length - MAX_LISTED} more`);
  details.push(
    'Shapes: packages/core/src/logging/shapes.ts (gitleaks and detect-secrets rules), plus the credentials given to verify.',
  );
  return check(
    'secrets',
    'No API key or credential in any response',
    findings.length > 0 ? 'fail' : 'pass',
    findings.length > 0
      ? `${findings.length} credential${findings.length === 1 ? '' : 's'} found in ${new Set(findings.map((f) => `${f.method} ${f.path}`)).size} answers`
      : `${scanned.bodies} answers scanned (${kilobytes} KB), none carries a key shape`,
    details,
  );
}
