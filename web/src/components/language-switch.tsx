import { For, type Component } from "solid-js";
import { locale, LOCALES, setLocale, t, type Locale } from "../stores/i18n.ts";

const NAMES: Record<Locale, "lang.zh" | "lang.en"> = { "zh-CN": "lang.zh", en: "lang.en" };

export const LanguageSwitch: Component = () => (
  <select class="lang-switch" aria-label={t("lang.label")} value={locale()} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
    <For each={LOCALES}>{(l) => <option value={l}>{t(NAMES[l])}</option>}</For>
  </select>
);
