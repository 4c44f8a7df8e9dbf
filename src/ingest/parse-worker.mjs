// Entry of a parse worker thread: loads TypeScript through tsx (as bin/bellwether.js does), then the worker's loop.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
