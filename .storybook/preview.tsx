import '@agentry/react/styles.css';
import type { Preview } from '@storybook/react-vite';
import { withHostPage } from './decorators';

const preview: Preview = {
  tags: ['autodocs'],
  decorators: [withHostPage],
  globalTypes: {
    theme: {
      description: 'Colour theme of the TestPanel (its `theme` prop / `data-theme`)',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'fullscreen',
    controls: { expanded: true, sort: 'requiredFirst' },
    // Every story fails its test on any axe violation, colour contrast included.
    a11y: { test: 'error' },
    viewport: {
      options: {
        mobile: { name: 'Mobile (390 × 844)', styles: { width: '390px', height: '844px' }, type: 'mobile' },
        tablet: { name: 'Tablet (820 × 1180)', styles: { width: '820px', height: '1180px' }, type: 'tablet' },
        desktop: { name: 'Desktop (1280 × 800)', styles: { width: '1280px', height: '800px' }, type: 'desktop' },
      },
    },
    docs: { codePanel: true },
  },
};

export default preview;
