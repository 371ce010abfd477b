/**
 * Links that came from outside (an alert's generatorURL, a runbook annotation, a trace link template)
 * are shown to people and followed by browsers: only http and https are kept, so a `javascript:` or
 * `data:` link never becomes something to click. The URL parser is the browser's own rules (WHATWG), so
 * tricks such as leading spaces or a tab inside the scheme are read the way a browser would read them.
 */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}
