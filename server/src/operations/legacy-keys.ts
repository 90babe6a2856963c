/**
 * Whether the key this installation will use decrypts the original's secret tokens, checked up
 * front, before anything is written. A token cut short in the source cannot be decrypted by any
 * key, so it is reported as truncated rather than as a wrong key.
 */
import { Fernet } from "../security/fernet.ts";
import { MalformedTokenError, SecretDecryptError, SecretPayloadError, TruncatedTokenError } from "../security/secret-errors.ts";

export interface TokenVerdicts {
  /** Well-formed tokens the key does not decrypt (or every token, with no key at all). */
  undecryptable: string[];
  truncated: string[];
  malformed: string[];
}

export function checkLegacyTokens(jobs: ReadonlyArray<{ id: string; secretCfg: string | null }>, key: string | null): TokenVerdicts {
  const fernet = key ? new Fernet(key) : null;
  const verdicts: TokenVerdicts = { undecryptable: [], truncated: [], malformed: [] };
  for (const job of jobs) {
    if (!job.secretCfg) continue;
    try {
      // A throwaway key still parses the token, so truncation is told apart even without a key.
      (fernet ?? new Fernet("A".repeat(43) + "=")).decryptJson(job.secretCfg);
      if (!fernet) verdicts.undecryptable.push(job.id);
    } catch (error) {
      if (error instanceof TruncatedTokenError) verdicts.truncated.push(job.id);
      else if (error instanceof MalformedTokenError || error instanceof SecretPayloadError) verdicts.malformed.push(job.id);
      else if (error instanceof SecretDecryptError) verdicts.undecryptable.push(job.id);
      else throw error;
    }
  }
  return verdicts;
}
