import { trackSecrets } from "../logging/live-secrets.ts";
import { SecretMasker } from "../logging/secret-masker.ts";

/**
 * Removes a run's decrypted secret values from everything the run leaves behind (log lines, live
 * output, message, traceback, result), whatever the handler did with them, in the encodings
 * `SecretMasker` knows. While tracked, the same values are masked in the whole process's output
 * (stdout, connecthub.log, API errors) too.
 */
export class SecretScrubber {
  readonly masker = new SecretMasker();

  /** Registers every string and number inside the decrypted secret config. */
  add(secrets: unknown): void {
    this.masker.add(secrets);
  }

  /** Masks these values in all process output until the returned release is called. */
  track(): () => void {
    return trackSecrets(this.masker);
  }

  text = (input: string): string => this.masker.mask(input);

  /** A JSON value with every string scrubbed (keys are left alone). */
  value(input: unknown): unknown {
    return this.masker.maskValue(input);
  }
}
