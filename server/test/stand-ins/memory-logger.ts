// A real pino logger that keeps every line in memory, so tests can read what a client or a
// job logged and prove that no secret slipped through.
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

export interface MemoryLogger {
  logger: Logger;
  /** Raw JSON lines, as pino wrote them. */
  lines: string[];
  /** The lines parsed. */
  records(): Record<string, unknown>[];
  /** Every line joined, for "must not contain" assertions. */
  text(): string;
}

export function memoryLogger(level = "trace"): MemoryLogger {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(line);
      done();
    },
  });
  // sync writes: a line is in `lines` as soon as the logging call returns.
  const logger = pino({ level }, pino.multistream([{ level: "trace", stream }]));
  return {
    logger,
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    text: () => lines.join("\n"),
  };
}
