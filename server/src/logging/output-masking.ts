import { maskLiveSecrets } from "./live-secrets.ts";

let installed = false;

/**
 * Masks live secret values in text written through `process.stdout`/`process.stderr` (console
 * output outside a run, a handler writing to stdout itself, Node's own warnings). pino's stdout
 * sink writes to fd 1 directly and is masked by the logger's hook instead. Text only: a Buffer
 * chunk may end inside a multi-byte character, so it is passed on as it is. Installed once per
 * process, never removed: other code may have wrapped the streams after us.
 */
export function installOutputMasking(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === "string" ? maskLiveSecrets(chunk) : chunk, ...rest)) as typeof stream.write;
  }
}
