import { createRedactor } from '../logging';
import { parseVerifyArguments, UsageError, VERIFY_HELP } from './verify/arguments';
import { createProgress, type ProgressOutput } from './verify/progress';
import { renderHtml } from './verify/render-html';
import { renderText } from './verify/render-text';
import { readCredentials, runVerify, VerifyAbort, type VerifyIo } from './verify/run-verify';

/** What the CLI needs from the process; `bin.ts` passes the real ones, tests their own. */
export interface CliIo extends Omit<VerifyIo, 'progress'> {
  stdout: ProgressOutput;
  stderr: { write(text: string): void };
  writeFile(path: string, text: string): Promise<void>;
}

const HELP = `agentry: operator commands for an Agentry deployment.

Usage
  npx agentry verify --url <endpoint> --auth env:TOKEN_A [--auth-b env:TOKEN_B] [options]

Commands
  verify    Run the deployment checklist against a deployed endpoint (agentry verify --help).
`;

/** Exit codes: 0 ready, 1 an item failed, 2 verify could not run. */
export const EXIT = { ok: 0, failed: 1, unusable: 2 } as const;

/** Runs the CLI with `argv` (without node and the script) and answers the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(HELP);
    return command === undefined ? EXIT.unusable : EXIT.ok;
  }
  if (command !== 'verify') {
    io.stderr.write(`agentry: unknown command "${command}". Commands: verify. Run "agentry --help".\n`);
    return EXIT.unusable;
  }
  let redact = (text: string) => text;
  const progress = createProgress(io.stdout, true, io.now);
  try {
    const options = parseVerifyArguments(rest);
    if (options === 'help') {
      io.stdout.write(VERIFY_HELP);
      return EXIT.ok;
    }
    const credentials = await readCredentials(options, io);
    // Belt and braces: whatever verify prints or writes passes the redactor that knows the credentials.
    const redactor = createRedactor([...credentials.a.secrets, ...(credentials.b?.secrets ?? [])]);
    redact = (text) => redactor.redactString(text);
    const report = await runVerify(
      options,
      { ...io, progress: options.json ? createProgress(io.stdout, false, io.now) : progress },
      credentials,
    );
    if (options.report !== undefined) {
      try {
        await io.writeFile(options.report, redact(renderHtml(report)));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        throw new UsageError(`--report ${options.report} cannot be written (${String(code ?? error)}).`);
      }
    }
    io.stdout.write(redact(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report)));
    if (options.report !== undefined && !options.json) io.stdout.write(`Sign-off page: ${options.report}\n`);
    return report.status === 'fail' ? EXIT.failed : EXIT.ok;
  } catch (error) {
    progress.done();
    if (error instanceof UsageError || error instanceof VerifyAbort) {
      io.stderr.write(`agentry verify: ${redact(error.message)}\n`);
      return EXIT.unusable;
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(`agentry verify: unexpected error (please report it): ${redact(message)}\n`);
    return EXIT.unusable;
  }
}
