import { SecretMasker } from "./secret-masker.ts";

// The secret values this process holds decrypted right now: each executing run's, a webhook
// delivery's credentials, and the process's own (global webhook token and secret, the admin
// password, database passwords). Every line the process writes out (pino's stdout and
// connecthub.log, console output, errors returned by the API) is masked against all of them, so
// a value leaks nowhere even when the line is written outside the run that owns it.

const tracked = new Set<SecretMasker>();

/** Values held for the life of the process (configuration secrets). */
export const processSecrets = new SecretMasker();
tracked.add(processSecrets);

/** Masks `masker`'s values in all process output until the returned release is called. */
export function trackSecrets(masker: SecretMasker): () => void {
  tracked.add(masker);
  return () => {
    if (masker !== processSecrets) tracked.delete(masker);
  };
}

/** `text` with every live secret value masked. */
export function maskLiveSecrets(text: string): string {
  let out = text;
  for (const masker of tracked) out = masker.mask(out);
  return out;
}
