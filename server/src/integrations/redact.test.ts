import { describe, expect, it } from "vitest";
import { REDACTED, Redactor, isSensitiveKey, mask } from "./redact.ts";

describe("isSensitiveKey", () => {
  it("catches passwords, tokens, secrets and signatures in any spelling", () => {
    for (const key of ["password", "rest_password", "access_token", "Token", "client_secret", "sign", "sign_key", "Authorization", "x-api-key", "X-Auth-Token", "signature"]) {
      expect(isSensitiveKey(key), key).toBe(true);
    }
  });

  it("leaves ordinary names alone, including ones that merely contain 'sign'", () => {
    for (const key of ["signal", "design", "assignee", "name", "templateCode", "id", "expires_in"]) {
      expect(isSensitiveKey(key), key).toBe(false);
    }
  });
});

describe("mask", () => {
  it("shows two characters at each end of a long value", () => {
    expect(mask("abcdef123456yz")).toBe("ab****yz");
  });
  it("hides short values completely", () => {
    expect(mask("abc")).toBe("****");
  });
});

describe("Redactor", () => {
  it("redacts sensitive query parameters and keeps the others", () => {
    const r = new Redactor();
    const out = r.url("http://h/x?client_id=c&access_token=T0KEN&sign=abc&offset=0");
    expect(out).toBe(`http://h/x?client_id=c&access_token=${REDACTED}&sign=${REDACTED}&offset=0`);
  });

  it("redacts sensitive headers", () => {
    const r = new Redactor();
    expect(r.headers({ token: "abc", accept: "application/json" })).toEqual({ token: REDACTED, accept: "application/json" });
  });

  it("redacts sensitive keys at any depth of a JSON body", () => {
    const r = new Redactor();
    const out = r.body({ userName: "u", password: "p4ss", nested: [{ client_secret: "s" }] });
    expect(JSON.parse(out)).toEqual({ userName: "u", password: REDACTED, nested: [{ client_secret: REDACTED }] });
  });

  it("redacts JSON given as text, and form bodies", () => {
    const r = new Redactor();
    expect(JSON.parse(r.body('{"access_token":"abc","expires_in":1800}'))).toEqual({ access_token: REDACTED, expires_in: 1800 });
    expect(r.body("user=u&password=p4ss")).toBe(`user=u&password=${REDACTED}`);
  });

  it("redacts sensitive pairs in JSON that was cut short", () => {
    const r = new Redactor();
    expect(r.body('{"token":"abcdef","data":"x')).toBe(`{"token":"${REDACTED}","data":"x`);
  });

  it("scrubs registered secret values wherever they appear, plain or URL-encoded", () => {
    const r = new Redactor();
    r.addSecret("s3cr3t/value");
    expect(r.text("echo: s3cr3t/value and s3cr3t%2Fvalue")).toBe(`echo: ${REDACTED} and ${REDACTED}`);
    expect(r.url("http://h/p/s3cr3t%2Fvalue?q=1")).not.toContain("s3cr3t");
  });

  it("adds per-request keys without changing the shared redactor", () => {
    const r = new Redactor();
    const scoped = r.withKeys(["id"]);
    expect(JSON.parse(scoped.body({ id: "tok" }))).toEqual({ id: REDACTED });
    expect(JSON.parse(r.body({ id: "tok" }))).toEqual({ id: "tok" });
  });

  it("learns the values sent under sensitive keys so an echo under another name is scrubbed", () => {
    const r = new Redactor();
    r.learnFrom([{ access_token: "tok-123456" }, { token: "hdr-123456" }, '{"password":"pw-123456"}', "sign=sig-123456&a=1"]);
    expect(r.text("tok-123456 hdr-123456 pw-123456 sig-123456 a=1")).toBe(`${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} a=1`);
  });
});
