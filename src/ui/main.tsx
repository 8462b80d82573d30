import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { enableOffline } from './offline.ts';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

void enableOffline().then((ready) => document.documentElement.setAttribute('data-offline-ready', String(ready)));
