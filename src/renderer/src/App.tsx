import { QueryClientProvider } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { BridgeChoice } from './bridge';
import { Console } from './Console';
import { LiveProvider } from './features/live';
import type { LiveStore } from './features/live';
import { NO_FILES, RecordingFilesProvider } from './features/replay';
import type { RecordingFiles } from './features/replay';
import { NeedsLinkScreen } from './features/status';

/** The whole app for one bridge choice: no token means the explanation and nothing else. `files`: how recordings are handed over (upload or path). */
export function App({ choice, store, queryClient, files = NO_FILES }: { choice: BridgeChoice; store: LiveStore; queryClient: QueryClient; files?: RecordingFiles }) {
  if (choice.kind === 'no-token') return <NeedsLinkScreen />;
  return (
    <LiveProvider store={store} api={choice.api} link={choice.link}>
      <QueryClientProvider client={queryClient}>
        <RecordingFilesProvider value={files}>
          <Console />
        </RecordingFilesProvider>
      </QueryClientProvider>
    </LiveProvider>
  );
}
