import { createSignal } from "solid-js";
import { en } from "../i18n/en.ts";
import { zhCN, type MessageKey } from "../i18n/zh-cn.ts";

export type Locale = "zh-CN" | "en";
export type { MessageKey };

export const LOCALES: readonly Locale[] = ["zh-CN", "en"];
const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { "zh-CN": zhCN, en };
const STORAGE_KEY = "connecthub.locale";

/** Replaces `{name}` placeholders; unknown placeholders stay visible so a mistake shows. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Language state: Simplified Chinese unless the user picked English before (remembered in localStorage). */
export function createI18n(storage: Pick<Storage, "getItem" | "setItem"> | null) {
  const saved = storage?.getItem(STORAGE_KEY);
  const [locale, setLocaleSignal] = createSignal<Locale>(saved === "en" ? "en" : "zh-CN");
  return {
    locale,
    setLocale(next: Locale) {
      setLocaleSignal(next);
      storage?.setItem(STORAGE_KEY, next);
      if (typeof document !== "undefined") document.documentElement.lang = next;
    },
    t(key: MessageKey, params?: Record<string, string | number>): string {
      return interpolate(CATALOGUES[locale()][key], params);
    },
    /** A key built at run time (a server code): its text, or null when the catalogue has none. */
    translate(key: string, params?: Record<string, string | number>): string | null {
      const catalogue = CATALOGUES[locale()] as Record<string, string>;
      return Object.hasOwn(catalogue, key) ? interpolate(catalogue[key]!, params) : null;
    },
  };
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

const i18n = createI18n(browserStorage());
export const { locale, setLocale, t, translate } = i18n;
