/** A handler as a dropdown option: what it does first, then its path (paths alone say little). */
export function handlerLabel(handler: { handlerPath: string; description?: string | null }): string {
  const description = handler.description?.trim().split("\n")[0]?.trim();
  if (!description) return handler.handlerPath;
  const short = description.length > 80 ? `${description.slice(0, 79)}…` : description;
  return `${short} — ${handler.handlerPath}`;
}
