import type { Logger } from "pino";

/**
 * Small enough that one line stays well under a few kilobytes even in CJK text (3 bytes a
 * character), so each line travels and displays as one piece.
 */
export const LOG_CHUNK_CHARS = 2_000;
/** Past this, the rest is summarised in one line: the full text is in the run's result. */
export const LOG_MAX_CHUNKS = 100;

/** Writes a long text into the run log as numbered chunks (best effort, bounded). */
export function logInChunks(logger: Logger, label: string, text: string, chunkChars = LOG_CHUNK_CHARS): void {
  const total = Math.ceil(text.length / chunkChars);
  const shown = Math.min(total, LOG_MAX_CHUNKS);
  for (let i = 0; i < shown; i++) {
    const chunk = text.slice(i * chunkChars, (i + 1) * chunkChars);
    logger.info({ chunk_index: i + 1, chunk_count: total }, `${label} [${i + 1}/${total}] ${chunk}`);
  }
  if (total > shown) {
    const omitted = text.length - shown * chunkChars;
    logger.info({ chunk_count: total }, `${label}: ${total - shown} more chunks (${omitted} chars) not logged; see the run's result`);
  }
}
