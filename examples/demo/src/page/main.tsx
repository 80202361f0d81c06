import '@agentry/react/styles.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { readConfig } from './config';

const root = document.getElementById('root');
if (!root) throw new Error('The demo page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App config={readConfig()} />
  </StrictMode>,
);
