import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createServices } from './api/client.ts';
import { App } from './app.tsx';
import { downloadFile } from './lib/download.ts';
import './styles.css';

const services = createServices(window, { download: downloadFile });
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App services={services} />
    </StrictMode>,
  );
}
