import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Inside this repository the workspace packages are used from their TypeScript sources, so
// no package build is needed first. Turbopack has no custom export conditions, so each
// entry is aliased to its source file. In your own app, with the packages installed from
// npm, delete `turbopack.resolveAlias` and `transpilePackages`: the published `dist` builds
// are used.
const source = (file: string) => `./${path.relative(process.cwd(), path.join(root, file))}`;

const nextConfig: NextConfig = {
  // Sentry's Node SDK (and the OpenTelemetry packages under it) stay Node modules, not bundled.
  serverExternalPackages: ['@sentry/node'],
  transpilePackages: ['@agentry/core', '@agentry/react'],
  turbopack: {
    root,
    resolveAlias: {
      '@agentry/core/client': source('packages/core/src/client/index.ts'),
      '@agentry/core/server': source('packages/core/src/server/index.ts'),
      '@agentry/core/auth': source('packages/core/src/auth/index.ts'),
      '@agentry/core/sentry': source('packages/core/src/sentry/index.ts'),
      '@agentry/core': source('packages/core/src/index.ts'),
      '@agentry/react': source('packages/react/src/index.ts'),
    },
  },
};

export default nextConfig;
