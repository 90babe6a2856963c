-- Failed-login counters shared by every API process (rate-limiter-flexible's PostgreSQL store).
-- The leading underscore keeps it out of schema.prisma: only the limiter reads or writes it.
CREATE TABLE IF NOT EXISTS "_login_limits" (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
