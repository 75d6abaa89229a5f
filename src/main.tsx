import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import { detectServedMode } from './app/served-mode.ts';
import type { Mode } from './features/run/use-run.ts';
import { loadLang, parseLang } from './i18n/translate.ts';
import './styles.css';

const queryClient = new QueryClient();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// Without `mode=` in the URL, the page opens Live where the lab's own server answers, Mock elsewhere.
const named = new URLSearchParams(window.location.search).get('mode');
const [servedMode] = await Promise.all([
  named === 'live' || named === 'mock' ? Promise.resolve<Mode>(named) : detectServedMode(),
  // A Chinese link renders in Chinese from the first paint.
  loadLang(parseLang(new URLSearchParams(window.location.search).get('lang'))),
]);

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App servedMode={servedMode} />
    </QueryClientProvider>
  </StrictMode>,
);
