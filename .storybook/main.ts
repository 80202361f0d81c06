import type { StorybookConfig } from '@storybook/react-vite';
import { defaultClientConditions, mergeConfig } from 'vite';

/**
 * Storybook for @agentry/react: designers review every TestPanel state here, and the
 * same stories run as interaction and accessibility tests in Chromium (`vitest --project storybook`).
 * Configured by hand: `storybook init`/`add` would try to download browsers.
 */
const config: StorybookConfig = {
  stories: ['../packages/*/src/**/*.stories.tsx'],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y', '@storybook/addon-docs'],
  framework: { name: '@storybook/react-vite', options: {} },
  // msw's service worker (`mockServiceWorker.js`) is served from here: client-mode stories
  // talk to a simulated Agentry server running in the page.
  staticDirs: ['./public'],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: 'react-docgen-typescript' },
  // Workspace packages resolve to their TypeScript sources (the `@agentry/source` export
  // condition), so stories always show the code being edited, with no build step first.
  viteFinal: (viteConfig) =>
    mergeConfig(viteConfig, {
      resolve: { conditions: ['@agentry/source', ...defaultClientConditions] },
    }),
};

export default config;
