/**
 * Links that came from outside (an alert's generatorURL, a runbook annotation, a trace link template)
 * are shown to people and followed by browsers: only http and https are kept, so a `javascript:` or
 * `data:` link never becomes something to click. The URL parser is the browser's own rules (WHATWG), so
 * tricks such as leading spaces or a tab inside the scheme are read the way a browser would read them.
 */
export function isHttpUrl(text: string): boolean {
  // The scheme is what the text starts with up to the first colon, so the prefix decides it (a URL with
  // leading spaces is refused rather than read); the parser then says whether the rest is a URL at all.
  return HTTP_PREFIX.test(text) && URL.canParse(text);
}

const HTTP_PREFIX = /^https?:\/\//i;
