// Runs in the browser before each story file's tests (vitest `setupFiles`, storybook project).
//
// Storybook's React renderer loads `react-dom/client` lazily, on the first story it renders,
// and the a11y addon loads `axe-core` lazily, on its first check. In dev mode these are the
// two largest modules of the page (React DOM's development build, axe), and whichever story
// happens to come first in a file paid for fetching and compiling them inside its own 15 s
// budget: about 1 s on an idle machine, several on a busy one, where `Empty` timed out. Loaded
// here, before any story starts, the first story costs what the others cost.
await Promise.all([import('react-dom/client'), import('axe-core')]);
