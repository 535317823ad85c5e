// Resolve hook of traceModules.mjs: logs each resolved module URL, one per line.
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.OXELS_TRACE_MODULES) appendFileSync(process.env.OXELS_TRACE_MODULES, `${r.url}\n`);
  return r;
}
