import { describe, expect, it } from "vitest";
import { didiSign, didiSignString, prepareDidiParams } from "./didi-sign.ts";

describe("didi sign", () => {
  const params = {
    timestamp: 1700000000,
    client_id: "c1",
    data: { legal_entity_id: "123" },
    company_id: "99",
    access_token: "tok",
    sign: "ignored-old-sign",
    member_id: undefined,
  };

  it("sorts every param plus sign_key by name and joins k=v with &, leaving out sign and empty values", () => {
    expect(didiSignString(params, "k")).toBe(
      'access_token=tok&client_id=c1&company_id=99&data={"legal_entity_id":"123"}&sign_key=k&timestamp=1700000000',
    );
  });

  it("is the lower-case hex md5 of that string (checked against md5sum)", () => {
    expect(didiSign(params, "k")).toBe("065a63fcb96499c14e5543aaab6ad37f");
  });

  it("changes when any value or the sign key changes", () => {
    const base = didiSign(params, "k");
    expect(didiSign({ ...params, timestamp: 1700000001 }, "k")).not.toBe(base);
    expect(didiSign(params, "k2")).not.toBe(base);
  });

  it("sends nested data as the same JSON text it signs, and drops null/undefined", () => {
    expect(prepareDidiParams(params)).toEqual({
      timestamp: 1700000000,
      client_id: "c1",
      data: '{"legal_entity_id":"123"}',
      company_id: "99",
      access_token: "tok",
      sign: "ignored-old-sign",
    });
  });
});
