import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.ts";

describe("parseConfig", () => {
  it("defaults to embedded storage under ./data with Asia/Shanghai", () => {
    const config = parseConfig({}, "/srv/app");
    expect(config.PORT).toBe(8000);
    expect(config.TIMEZONE).toBe("Asia/Shanghai");
    expect(config.storageMode).toBe("embedded");
    expect(config.queueBackend).toBe("postgres");
    expect(config.dataDir).toBe("/srv/app/data");
    expect(config.fernetKeyPath).toBe("/srv/app/data/fernet.key");
    expect(config.logDir).toBe("/srv/app/data/logs");
  });

  it("switches to server mode with DATABASE_URL and MongoDB with MONGODB_URL", () => {
    const config = parseConfig({ DATABASE_URL: "postgresql://u@db/x", MONGODB_URL: "mongodb://m/agenda" }, "/");
    expect(config.storageMode).toBe("server");
    expect(config.queueBackend).toBe("mongodb");
  });

  it("an empty LOG_DIR disables file logs", () => {
    expect(parseConfig({ LOG_DIR: "" }, "/").logDir).toBeNull();
  });

  it("rejects an unknown time zone naming the variable and the value", () => {
    expect(() => parseConfig({ TIMEZONE: "Asia/Shang" }, "/")).toThrow('TIMEZONE "Asia/Shang" is not a known IANA zone');
  });

  it("rejects a non-numeric port naming the variable", () => {
    expect(() => parseConfig({ PORT: "eighty" }, "/")).toThrow(/^PORT "eighty" /);
  });

  it("metrics and the audit log are on unless switched off", () => {
    expect(parseConfig({}, "/srv/app")).toMatchObject({ METRICS_ENABLED: true, AUDIT_ENABLED: true });
    expect(parseConfig({ METRICS_ENABLED: "false", AUDIT_ENABLED: "false" }, "/srv/app")).toMatchObject({ METRICS_ENABLED: false, AUDIT_ENABLED: false });
  });

  it("refuses METRICS_PORT with metrics switched off", () => {
    expect(() => parseConfig({ METRICS_ENABLED: "false", METRICS_PORT: "9464" }, "/srv/app")).toThrow(/^METRICS_PORT is set while METRICS_ENABLED=false/);
  });

  it("rejects a DATABASE_URL that is not PostgreSQL", () => {
    expect(() => parseConfig({ DATABASE_URL: "mysql://x" }, "/")).toThrow(/DATABASE_URL "mysql:\/\/x" must start with postgresql:\/\//);
  });
});
