import { describe, expect, it } from "vitest";
import { maskLiveSecrets, processSecrets, trackSecrets } from "./live-secrets.ts";
import { MASK, SecretMasker } from "./secret-masker.ts";

const SECRET = "s3cr3t/Value+9";

function masker(...values: unknown[]): SecretMasker {
  const m = new SecretMasker();
  for (const v of values) m.add(v);
  return m;
}

describe("SecretMasker", () => {
  const m = masker(SECRET);
  const b64 = (s: string) => Buffer.from(s).toString("base64");

  it.each([
    ["plain", SECRET],
    ["upper-cased", SECRET.toUpperCase()],
    ["lower-cased", SECRET.toLowerCase()],
    ["URL-encoded", encodeURIComponent(SECRET)],
    ["URL-encoded with lower-case hex", encodeURIComponent(SECRET).toLowerCase()],
    ["form-encoded", new URLSearchParams({ q: SECRET }).toString().slice(2)],
    ["JSON-escaped twice", JSON.stringify(JSON.stringify({ k: SECRET }))],
    ["base64", b64(SECRET)],
    ["URL-safe base64", Buffer.from(SECRET).toString("base64url")],
    ["hex", Buffer.from(SECRET).toString("hex")],
    ["split by a line break", `${SECRET.slice(0, 6)}\n  ${SECRET.slice(6)}`],
    ["split by a JSON newline escape", `${SECRET.slice(0, 6)}\\n${SECRET.slice(6)}`],
  ])("masks the %s form", (_name, form) => {
    const out = m.mask(`before ${form} after`);
    expect(out).toContain(MASK);
    expect(out).toMatch(/^before /);
    expect(out.toLowerCase()).not.toContain(SECRET.toLowerCase());
    expect(out).not.toContain(form);
  });

  it("masks the value inside a larger base64 blob at every byte offset (basic auth and friends)", () => {
    for (const prefix of ["", "u:", "user:", "ab", "x"]) {
      const blob = Buffer.from(`${prefix}${SECRET}&more`).toString("base64");
      const out = m.mask(`Basic ${blob}`);
      expect(out, prefix).toContain(MASK);
      // What is left around the mask is at most the few characters shared with the neighbours.
      expect(out.length, prefix).toBeLessThan(`Basic ${blob}`.length - 12);
    }
  });

  it("masks a quote- and backslash-bearing value as it appears inside JSON", () => {
    const tricky = masker('pa"ss\\word');
    const line = JSON.stringify({ msg: 'pa"ss\\word', nested: JSON.stringify({ p: 'pa"ss\\word' }) });
    const out = tricky.mask(line);
    expect(out).not.toContain("ss\\\\word");
    expect(JSON.parse(out)).toEqual({ msg: MASK, nested: expect.stringContaining(MASK) });
  });

  it("masks short values (4-5 characters) exactly only, and leaves 1-3 character values alone", () => {
    const short = masker("abcd", "xy");
    expect(short.mask("abcd ABCD xy")).toBe(`${MASK} ABCD xy`);
  });

  it("masks numbers and every string inside an object", () => {
    const nested = masker({ a: { b: ["nested-value-1"] }, n: 1125900000001 });
    expect(nested.mask("nested-value-1 / 1125900000001")).toBe(`${MASK} / ${MASK}`);
  });

  it("masks strings inside a JSON value and keeps its shape", () => {
    expect(m.maskValue({ list: [`x ${SECRET}`], n: 3 })).toEqual({ list: [`x ${MASK}`], n: 3 });
  });

  it("leaves text alone when it knows no value", () => {
    expect(new SecretMasker().mask(`free ${SECRET}`)).toBe(`free ${SECRET}`);
  });
});

describe("live secrets", () => {
  it("masks a tracked masker's values in process output until it is released", () => {
    const run = masker("run-secret-42");
    const release = trackSecrets(run);
    expect(maskLiveSecrets("token run-secret-42")).toBe(`token ${MASK}`);
    run.add("added-later-7");
    expect(maskLiveSecrets("added-later-7")).toBe(MASK);
    release();
    expect(maskLiveSecrets("token run-secret-42")).toBe("token run-secret-42");
  });

  it("always masks the process's own secret settings", () => {
    processSecrets.add("global-webhook-token-1");
    expect(maskLiveSecrets("Bearer global-webhook-token-1")).toBe(`Bearer ${MASK}`);
  });
});
