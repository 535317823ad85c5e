import { SingleBar } from 'cli-progress';

/**
 * A duration in seconds as a progress bar shows it: `45s`, `12m05s`, `2h00m`. cli-progress's own
 * formatter rounds the minutes without carrying them, so it prints `1h60m`.
 */
export function formatDuration(seconds: number | string): string {
  // cli-progress passes 'NULL' or 'INF' while it has no estimate.
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '-';
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) {
    const m = Math.round(s / 60);
    return `${Math.floor(m / 60)}h${pad(m % 60)}m`;
  }
  return s >= 60 ? `${Math.floor(s / 60)}m${pad(s % 60)}s` : `${s}s`;
}

/**
 * The progress bar of oxels' long commands: on a terminal it redraws in place; into a log file or a
 * batch job's output it prints the same line every `logEveryMs`, instead of nothing. `etaBuffer`: the
 * last so many updates the bar's own `{eta_formatted}` comes from (a format without it can omit it).
 */
export function progressBar(
  format: string,
  options: { logEveryMs: number; etaBuffer?: number; stream?: NodeJS.WritableStream },
): SingleBar {
  return new SingleBar({
    format,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: options.logEveryMs,
    etaBuffer: options.etaBuffer,
    formatTime: formatDuration,
    stream: options.stream,
  });
}

/** A progress bar that messages (warnings) can interrupt: see `barWithMessages`. */
export interface BarWithMessages {
  /** Shows `done` of `total`, starting the bar on the first call. */
  update(done: number, total: number, payload?: object): void;
  /** Prints `line` above the bar: the bar stops, and goes on from its count at the next update. */
  message(line: string): void;
  stop(): void;
}

/**
 * Progress and messages on one output: a message stops the bar and is printed on its own line, and the
 * next update starts the bar again at the count it had (cli-progress's start() alone begins at 0, which
 * printed "0/760" after every warning).
 * @param print writes one message line (e.g. to stderr)
 */
export function barWithMessages(bar: SingleBar, print: (line: string) => void): BarWithMessages {
  let running = false;
  return {
    update(done, total, payload = {}) {
      if (running) bar.update(done, payload);
      else bar.start(total, done, payload);
      running = true;
    },
    message(line) {
      if (running) bar.stop();
      running = false;
      print(line);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
