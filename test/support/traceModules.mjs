// Preload (node --import) that appends the URL of every module resolved to $OXELS_TRACE_MODULES, in
// the main thread and in worker threads alike: how startupImports.test.ts sees what a command loads.
import { register } from 'node:module';

register(new URL('./traceModuleHooks.mjs', import.meta.url));
