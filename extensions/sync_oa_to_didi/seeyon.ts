import { SeeyonClient, type RunContext } from "@connecthub/server/sdk";

/** The OA secrets every job of this extension reads (see oaSecretsShape in config.ts). */
export interface OaSecrets {
  rest_user: string;
  rest_password: string;
  loginName?: string;
}

/** A Seeyon client for one run: cancelled with the run, logging into the run's log. */
export function seeyonForRun(baseUrl: string, secrets: OaSecrets, ctx: RunContext): SeeyonClient {
  return new SeeyonClient({
    baseUrl,
    credentials: { restUser: secrets.rest_user, restPassword: secrets.rest_password, loginName: secrets.loginName },
    signal: ctx.signal,
    logger: ctx.logger,
  });
}
