import { QueryClientProvider } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { BridgeChoice } from './bridge';
import { Console } from './Console';
import { LiveProvider } from './features/live';
import type { LiveStore } from './features/live';
import { NeedsLinkScreen } from './features/status';

/** The whole app for one bridge choice: no token means the explanation and nothing else. */
export function App({ choice, store, queryClient }: { choice: BridgeChoice; store: LiveStore; queryClient: QueryClient }) {
  if (choice.kind === 'no-token') return <NeedsLinkScreen />;
  return (
    <LiveProvider store={store} api={choice.api} link={choice.link}>
      <QueryClientProvider client={queryClient}>
        <Console />
      </QueryClientProvider>
    </LiveProvider>
  );
}
