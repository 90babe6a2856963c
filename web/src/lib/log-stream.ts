import { utf8Length } from "./format.ts";

export interface LogChunk {
  /** UTF-8 byte offset in the run log where `text` starts. */
  offset: number;
  text: string;
}

export type ChunkVerdict = { kind: "append"; text: string } | { kind: "duplicate" } | { kind: "gap"; expected: number; got: number };

/**
 * Keeps the byte position of what is shown so chunks replayed after a reconnect are dropped,
 * overlapping ones are trimmed, and a gap (missed chunk) is reported so the caller reloads.
 */
export function createLogCursor(initialBytes: number) {
  let bytes = initialBytes;
  return {
    bytes: () => bytes,
    reset(to: number) {
      bytes = to;
    },
    accept(chunk: LogChunk): ChunkVerdict {
      const length = utf8Length(chunk.text);
      const end = chunk.offset + length;
      if (end <= bytes) return { kind: "duplicate" };
      if (chunk.offset > bytes) return { kind: "gap", expected: bytes, got: chunk.offset };
      const text = chunk.offset === bytes ? chunk.text : sliceFromByte(chunk.text, bytes - chunk.offset);
      bytes = end;
      return { kind: "append", text };
    },
  };
}

/** The part of `text` after its first `skipBytes` UTF-8 bytes. */
export function sliceFromByte(text: string, skipBytes: number): string {
  const encoded = new TextEncoder().encode(text);
  return new TextDecoder().decode(encoded.subarray(skipBytes));
}
