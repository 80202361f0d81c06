import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  tsconfig: 'tsconfig.build.json',
  target: 'es2022',
  platform: 'browser',
  sourcemap: true,
  clean: true,
  // No rollup tree-shaking pass: it strips module directives, and the 'use client' banner must survive.
  treeshake: false,
  external: [
    'react',
    'react-dom',
    '@agentry/core',
    '@agentry/core/client',
    '@agentry/core/client/steps',
    '@agentry/core/client/history',
    '@agentry/core/test-cases',
    'zod',
  ],
  // Keeps the 'use client' directive at the top of the bundle for React Server Components hosts.
  banner: { js: "'use client';" },
});
