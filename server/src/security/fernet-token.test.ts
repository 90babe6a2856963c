import { describe, expect, it } from "vitest";
import { cleanToken, MIN_TOKEN_BYTES, parseToken } from "./fernet-token.ts";
import { MalformedTokenError, TruncatedTokenError } from "./secret-errors.ts";

const TOKEN_TEXT = "gAAAAABlU_EAAAECAwQ-_w==";

describe("cleanToken", () => {
  it.each([
    ["double quotes", `"${TOKEN_TEXT}"`],
    ["single quotes", `'${TOKEN_TEXT}'`],
    ["quotes nested in quotes", `"'${TOKEN_TEXT}'"`],
    ["Python bytes repr", `b'${TOKEN_TEXT}'`],
    ["quoted Python bytes repr", `"b'${TOKEN_TEXT}'"`],
    ["newlines, tabs and spaces inside", `\t${TOKEN_TEXT.slice(0, 5)}\r\n ${TOKEN_TEXT.slice(5)} \n`],
    ["a quote left on one side", `"${TOKEN_TEXT}`],
  ])("removes %s", (_what, dirty) => {
    expect(cleanToken(dirty)).toBe(TOKEN_TEXT);
  });
});

describe("parseToken", () => {
  it("reports a token shorter than the smallest complete token as truncated", () => {
    const short = Buffer.alloc(MIN_TOKEN_BYTES - 1);
    short[0] = 0x80;
    expect(() => parseToken(short.toString("base64url"))).toThrow(TruncatedTokenError);
  });

  it("reports a length between whole cipher blocks as truncated", () => {
    const uneven = Buffer.alloc(MIN_TOKEN_BYTES + 5);
    uneven[0] = 0x80;
    expect(() => parseToken(uneven.toString("base64url"))).toThrow(TruncatedTokenError);
  });

  it("reports half-cut padding as truncated and surplus padding as malformed", () => {
    const bytes = Buffer.alloc(MIN_TOKEN_BYTES);
    bytes[0] = 0x80;
    const text = bytes.toString("base64"); // 73 bytes end in "=="
    expect(text.endsWith("==")).toBe(true);
    expect(() => parseToken(text.slice(0, -1))).toThrow(TruncatedTokenError);
    expect(() => parseToken(`${text}=`)).toThrow(MalformedTokenError);
  });

  it("reports an empty or whitespace-only value as truncated", () => {
    expect(() => parseToken(" \n ")).toThrow(TruncatedTokenError);
  });

  it("splits a well-formed token into its fields", () => {
    const bytes = Buffer.alloc(MIN_TOKEN_BYTES + 16);
    bytes[0] = 0x80;
    bytes.writeBigUInt64BE(1_700_000_000n, 1);
    bytes.fill(7, 9, 25);
    const parts = parseToken(bytes.toString("base64url"));
    expect(parts.timestamp).toBe(1_700_000_000n);
    expect(parts.iv.equals(Buffer.alloc(16, 7))).toBe(true);
    expect(parts.ciphertext.length).toBe(32);
    expect(parts.hmac.length).toBe(32);
    expect(parts.signed.length).toBe(bytes.length - 32);
  });
});
