/** The renderer's entry: one engine client, then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { EngineProvider } from './app/engine-context.tsx';
import { StartupError } from './app/StartupError.tsx';
import { createEngineClient } from './lib/engine-client/create-engine-client.ts';
import './app/app.css';

const root = createRoot(document.getElementById('root')!);
try {
  const client = createEngineClient();
  root.render(
    <StrictMode>
      <EngineProvider client={client}>
        <App />
      </EngineProvider>
    </StrictMode>,
  );
} catch (error) {
  root.render(<StartupError message={(error as Error).message} />);
}
