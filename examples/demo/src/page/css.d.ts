// CSS files are bundled by esbuild (`build.mjs`); TypeScript only needs to know they exist.
declare module '*.css';
