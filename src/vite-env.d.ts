/// <reference types="vite/client" />
declare const __LAB_VERSION__: string;
