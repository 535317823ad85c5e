// The project's Python venv for the PyTorch peer (scripts/setup-python.sh makes it on first use).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SETUP_PYTHON = fileURLToPath(new URL('./setup-python.sh', import.meta.url));

/** The venv's python (with tensorflow-cpu too when asked), or null where set-up failed (it said why on stderr). */
export function projectPython(withTensorflow = false): string | null {
  try {
    const out = execFileSync('bash', [SETUP_PYTHON, ...(withTensorflow ? ['--with-tensorflow'] : [])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return out.trim().split('\n').at(-1)!;
  } catch {
    return null;
  }
}
