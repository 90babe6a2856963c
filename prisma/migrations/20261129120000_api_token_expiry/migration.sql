-- API tokens may end on their own: createApiToken(input: {expiresAt}). NULL means no expiry.
ALTER TABLE "api_tokens" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
