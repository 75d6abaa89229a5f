/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import basicSsl from '@vitejs/plugin-basic-ssl';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { labServerPlugin } from './src/server/vite-plugin.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};
// LAB_HTTPS=1 (`npm run start:h2`): https with a self-signed certificate, which makes Vite serve HTTP/2
// (HTTP/1.1 still answers the WebSocket upgrade); its own default port so both can run side by side.
const https = process.env.LAB_HTTPS === '1';
const port = Number(process.env.PORT ?? (https ? 4443 : 4173));
const host = process.env.HOST ?? '127.0.0.1';

export default defineConfig({
  plugins: [react(), labServerPlugin({ version: pkg.version }), ...(https ? [basicSsl()] : [])],
  define: { __LAB_VERSION__: JSON.stringify(pkg.version) },
  // Vite's own CORS middleware would let every loopback origin read the lab's streams; the lab's
  // endpoints decide CORS themselves (LAB_ALLOWED_ORIGINS), so the Origin lesson shows their rule.
  server: { host, port: Number(process.env.PORT ?? 5173), cors: false },
  preview: { host, port, strictPort: true, cors: false },
  // First load (≤ 150 kB gzipped, see bench): the app and React. uPlot loads when the page is idle,
  // recharts (and its d3 parts) only for a chat run's RTT chart, MSW only in Mock mode.
  build: {
    rolldownOptions: {
      output: {
        // React in a chunk of its own first: otherwise it is captured with the charts group (a dependency
        // of recharts) and the first load would have to fetch the charts to get React.
        codeSplitting: { groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 }, { name: 'uplot', priority: 10, test: /node_modules[\\/]uplot[\\/]/ }, { name: 'recharts', priority: 10, test: /node_modules[\\/](recharts|d3-|victory-vendor|decimal\.js|es-toolkit|immer|@reduxjs|reselect|redux)/ }] },
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    setupFiles: ['src/i18n/test-setup.ts'],
  },
});
