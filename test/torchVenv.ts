// Where the tests find PyTorch: the project's venv (scripts/setup-python.sh), never the system Python.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The project venv's python, if it imports torch, safetensors and numpy; else why not (for a skip message). */
export function findTorch(): { python: string } | { why: string } {
  const cache =
    process.env.OXELS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'oxels');
  const python = join(cache, 'venv', 'bin', 'python');
  if (!existsSync(python)) return { why: `no venv at ${python} (bash scripts/setup-python.sh makes it)` };
  const probe = spawnSync(python, ['-c', 'import torch, safetensors, numpy'], { encoding: 'utf8' });
  return probe.status === 0 ? { python } : { why: `${python} cannot import torch: ${probe.stderr.trim()}` };
}
