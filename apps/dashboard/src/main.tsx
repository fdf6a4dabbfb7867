import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider as GraphQLProvider } from 'urql';
import { graphqlClient } from './api/client.js';
import { App } from './App.js';
import { AuthGate } from './auth/AuthGate.js';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AuthGate>
      <GraphQLProvider value={graphqlClient}>
        <App />
      </GraphQLProvider>
    </AuthGate>
  </StrictMode>,
);
