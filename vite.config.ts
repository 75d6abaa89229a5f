/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { labServerPlugin } from './src/server/vite-plugin.ts';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const port = Number(process.env.PORT ?? 4173);
const host = process.env.HOST ?? '127.0.0.1';

export default defineConfig({
  plugins: [react(), labServerPlugin({ version: pkg.version })],
  define: { __LAB_VERSION__: JSON.stringify(pkg.version) },
  server: { host, port: Number(process.env.PORT ?? 5173) },
  preview: { host, port, strictPort: true },
  // React + recharts make one ~700 kB chunk (≈210 kB gzip); MSW is split off and loads in Mock mode only.
  build: { chunkSizeWarningLimit: 800 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
