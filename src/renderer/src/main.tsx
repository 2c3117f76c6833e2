import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient } from '@tanstack/react-query';
import { App } from './App';
import { chooseBridge } from './bridge';
import { connectLive, createLiveStore } from './features/live';
import { recordingFilesFor, xhrUploads } from './features/replay';
import { applySavedTheme } from './features/theme';
import './styles/theme.css';
import './styles/base.css';
import './styles/overview.css';
import './styles/panels.css';
import './styles/replay.css';
import './styles/actions.css';

applySavedTheme();

const choice = chooseBridge({
  preloadApi: window.switchboard,
  location: window.location,
  history: window.history,
  storage: sessionStorageOrNull(),
  createSocket: (url, protocols) => new WebSocket(url, protocols),
  fetch: (input, init) => window.fetch(input, init),
});

function sessionStorageOrNull(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Blocked storage throws on access; the token then lives only in memory.
    return undefined;
  }
}

// Recordings the user picks or drops: uploaded to serve mode, or opened by path in the desktop app.
const files = recordingFilesFor(choice, window.switchboardFiles, xhrUploads);

const store = createLiveStore();
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

if (choice.kind !== 'no-token') {
  if (choice.kind === 'serve') choice.bridge.start();
  connectLive(choice.api, choice.link, store);
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App choice={choice} store={store} queryClient={queryClient} files={files} />
    </StrictMode>,
  );
}
