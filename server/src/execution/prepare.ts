import { HandlerPathError, type BaseJob, type BaseJobClass } from "../plugins/index.ts";
import { resolveHandler } from "../plugins/handler-registry.ts";
import { schemaErrors } from "../plugins/handler-config.ts";
import type { Fernet } from "../security/fernet.ts";
import { SecretError } from "../security/secret-errors.ts";
import { ConfigInvalidError, SecretConfigError } from "./errors.ts";
import type { RunSnapshot } from "../runs/snapshot.ts";

export interface PreparedRun {
  handler: BaseJob<unknown, unknown>;
  handlerClass: BaseJobClass;
  params: unknown;
  secrets: Record<string, unknown>;
}

/** Decrypts the snapshot's secret token, in memory only. */
export function decryptSecrets(jobId: string, token: string | null, fernet: () => Fernet): Record<string, unknown> {
  if (!token) return {};
  try {
    return fernet().decryptJson(token);
  } catch (error) {
    if (error instanceof SecretError) throw new SecretConfigError(jobId, error.message, { cause: error });
    throw error;
  }
}

/**
 * Everything between "the run is ours" and `handler.run`: the handler, the decrypted secrets and
 * the params checked against the handler's schemas (their parsed output is what the handler gets).
 * `onSecrets` sees the plaintext first, so it can be scrubbed from anything logged afterwards.
 */
export async function prepareRun(
  snapshot: RunSnapshot,
  fernet: () => Fernet,
  onSecrets: (secrets: Record<string, unknown>) => void,
): Promise<PreparedRun> {
  const jobId = snapshot.meta.job_id;
  let handlerClass: BaseJobClass;
  try {
    handlerClass = await resolveHandler(snapshot.handler_path);
  } catch (error) {
    if (error instanceof HandlerPathError) {
      error.message += ` (job "${jobId}": fix its handlerPath, or restore the extension, then run it again)`;
    }
    throw error;
  }
  const secrets = decryptSecrets(jobId, snapshot.secret_cfg, fernet);
  onSecrets(secrets);

  const problems = [
    ...schemaErrors(handlerClass.paramsSchema, snapshot.public_cfg, "publicCfg"),
    ...schemaErrors(handlerClass.secretsSchema, secrets, "secretCfg"),
  ];
  if (problems.length) throw new ConfigInvalidError(jobId, problems);
  const params = handlerClass.paramsSchema ? handlerClass.paramsSchema.parse(snapshot.public_cfg) : snapshot.public_cfg;
  const parsedSecrets = handlerClass.secretsSchema ? (handlerClass.secretsSchema.parse(secrets) as Record<string, unknown>) : secrets;
  const handler = new (handlerClass as unknown as new () => BaseJob<unknown, unknown>)();
  return { handler, handlerClass, params, secrets: parsedSecrets };
}

/**
 * Loads, ahead of a run's instant, the handler module it will run (an import is shared and kept),
 * so the first run of a handler in this process does not load it between its start and its
 * handler. A failure is left for the run itself to meet and report.
 */
export function preloadHandler(snapshot: RunSnapshot): void {
  resolveHandler(snapshot.handler_path).catch(() => undefined);
}
