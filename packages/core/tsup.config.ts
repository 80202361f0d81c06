import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      openai: 'src/providers/openai/index.ts',
      anthropic: 'src/providers/anthropic/index.ts',
      remote: 'src/providers/remote/index.ts',
      server: 'src/server/index.ts',
      auth: 'src/auth/index.ts',
      client: 'src/client/index.ts',
      'client-steps': 'src/client/steps.ts',
      testing: 'src/testing/index.ts',
      otel: 'src/otel/index.ts',
      sentry: 'src/sentry/index.ts',
      tapes: 'src/tapes/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    tsconfig: 'tsconfig.build.json',
    target: 'node20',
    platform: 'neutral',
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    external: ['zod', 'openai', '@anthropic-ai/sdk', 'msw', 'jose', '@opentelemetry/api'],
  },
  {
    // The `agentry` command (package.json `bin`): Node only, one ESM file with its shebang, no types.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    tsconfig: 'tsconfig.build.json',
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: false,
    splitting: false,
    treeshake: true,
  },
]);
