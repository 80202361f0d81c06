// `jose` is an optional peer used by `@agentry/core/auth` alone: importing the root entry or
// `/server` must never load it, in the source (this test's module graph) and in the published
// build (esbuild with tsup's entries, code splitting and externals, as `pnpm build` runs it).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';

const loads = vi.hoisted(() => ({ jose: 0 }));
vi.mock('jose', async (importOriginal) => {
  loads.jose += 1;
  return importOriginal();
});

const core = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('jose stays behind @agentry/core/auth', () => {
  it('importing @agentry/core and @agentry/core/server does not load jose; @agentry/core/auth does', async () => {
    await expect(import('../index')).resolves.toHaveProperty('createExecutor');
    await expect(import('../server/index')).resolves.toHaveProperty('createHandler');
    expect(loads.jose).toBe(0);
    await expect(import('./index')).resolves.toHaveProperty('jwtTenantResolver');
    expect(loads.jose).toBe(1);
  });

  it("in the build, no chunk that the root or /server entry imports imports 'jose'", async () => {
    const { default: tsupConfigs } = (await import(path.join(core, 'tsup.config.ts'))) as {
      default:
        | { entry: Record<string, string>; external: string[] }
        | { entry: Record<string, string>; external?: string[] }[];
    };
    // The library entries (the first config; the second builds the `agentry` bin for Node).
    const tsupConfig = (Array.isArray(tsupConfigs) ? tsupConfigs[0] : tsupConfigs) as {
      entry: Record<string, string>;
      external: string[];
    };
    const result = await build({
      entryPoints: Object.fromEntries(
        Object.entries(tsupConfig.entry).map(([name, file]) => [name, path.join(core, file)]),
      ),
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'neutral',
      outdir: path.join(core, 'dist-isolation-test'),
      // Node built-ins stay imports (the tapes' directory store loads them lazily, on Node only).
      external: [...tsupConfig.external, 'node:*'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const externalsReachedFrom = (entry: string): Set<string> => {
      const start = Object.keys(outputs).find((file) => outputs[file]?.entryPoint?.endsWith(tsupConfig.entry[entry]!));
      const seen = new Set<string>();
      const externals = new Set<string>();
      const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const imported of outputs[file]?.imports ?? []) {
          if (imported.external) externals.add(imported.path);
          else if (imported.kind === 'import-statement') visit(imported.path);
        }
      };
      visit(start!);
      return externals;
    };
    expect(externalsReachedFrom('index')).not.toContain('jose');
    expect(externalsReachedFrom('server')).not.toContain('jose');
    expect(externalsReachedFrom('auth')).toContain('jose');
  });
});
