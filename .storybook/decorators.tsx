import type { Decorator } from '@storybook/react-vite';

/** The theme chosen in the toolbar (or by a story's `globals`). */
export type StoryTheme = 'light' | 'dark';

export function themeOf(globals: Record<string, unknown>): StoryTheme {
  return globals.theme === 'dark' ? 'dark' : 'light';
}

/**
 * A host page around every story: a neutral page colour that matches the theme, so a
 * dark panel is reviewed on a dark page (as a host app in dark mode would show it).
 */
export const withHostPage: Decorator = (Story, context) => {
  const theme = themeOf(context.globals);
  return (
    <div
      className="story-host"
      data-story-theme={theme}
      style={{
        boxSizing: 'border-box',
        minHeight: '100vh',
        padding: 'clamp(0.5rem, 3vw, 2rem)',
        background: theme === 'dark' ? '#020617' : '#f1f5f9',
        colorScheme: theme,
      }}
    >
      <Story />
    </div>
  );
};

/**
 * The parts of the TestPanel read their colours from `--agentry-*` properties declared
 * on the panel's root (`[data-agentry]`). Shown on their own, they get that root here.
 */
export const withPanelRoot: Decorator = (Story, context) => (
  <div data-agentry="" data-theme={themeOf(context.globals)} style={{ maxWidth: '48rem' }}>
    <Story />
  </div>
);
