import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createApi } from './api';
import { StoreProvider } from './store/context';
import { subscribeToBackend } from './store/events';
import { createAppStore } from './store/store';
import { viewFromHash } from './store/ui-slice';
import './styles.css';

// createApi reads (and then clears) browser-mode credentials from the fragment, so the view is read first.
const initialView = viewFromHash(window.location.hash);
const api = createApi();
const store = createAppStore(api, { initialView });
subscribeToBackend(store, api);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
