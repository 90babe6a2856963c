import { ResultNotSerializableError } from "./errors.ts";

/** A result bigger than this is not stored whole (the run log says so). */
export const MAX_RESULT_BYTES = 1024 * 1024;

export interface StoredResult {
  value: unknown;
  /** Set when the result was replaced by a placeholder because of its size. */
  oversizeBytes?: number;
}

/** The handler's return value as the JSON that will be stored; throws when it is not JSON. */
export function toStoredResult(value: unknown): StoredResult {
  if (value === undefined || value === null) return { value: null };
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new ResultNotSerializableError((error as Error).message);
  }
  if (json === undefined) throw new ResultNotSerializableError(`a ${typeof value}`);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_RESULT_BYTES) {
    return { value: { truncated: true, bytes, note: `result over ${MAX_RESULT_BYTES} bytes is not stored` }, oversizeBytes: bytes };
  }
  return { value: JSON.parse(json) as unknown };
}
