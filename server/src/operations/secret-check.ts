import { Fernet } from "../security/fernet.ts";
import { SecretError } from "../security/secret-errors.ts";

export interface SecretHolder {
  id: string;
  secretCfg?: string | null;
  webhookSecret?: string | null;
}

/** Ids of the jobs whose stored tokens `key` cannot decrypt (all of them with secrets when key is null). */
export function undecryptableJobIds(jobs: readonly SecretHolder[], key: string | null): string[] {
  const fernet = key ? new Fernet(key) : null;
  const failed: string[] = [];
  for (const job of jobs) {
    const tokens = [job.secretCfg, job.webhookSecret].filter((t): t is string => typeof t === "string" && t.trim() !== "");
    if (!tokens.length) continue;
    try {
      if (!fernet) throw new Error("no key");
      for (const token of tokens) fernet.decryptJson(token);
    } catch (error) {
      if (fernet && !(error instanceof SecretError)) throw error;
      failed.push(job.id);
    }
  }
  return failed;
}
