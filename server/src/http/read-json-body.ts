import type { IncomingMessage } from "node:http";

export class BodyError extends Error {
  override readonly name = "BodyError";
  readonly code = "BAD_REQUEST_BODY";
  readonly status: number;
  constructor(
    status: number,
    message: string,
  ) {
    super(message);
    this.status = status;
  }
}

/** Reads a small JSON object body; anything else is a 400/413 with a message saying why. */
export async function readJsonBody(req: IncomingMessage, maxBytes = 16 * 1024): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyError(413, `Request body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BodyError(400, "Request body must be JSON.");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new BodyError(400, "Request body must be a JSON object.");
  return value as Record<string, unknown>;
}
