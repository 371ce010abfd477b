/**
 * An href for a link that came from data (an alert's source, a check's trace): http and https only, read
 * by the browser's own URL parser, so `javascript:`, `data:` and their disguises (" JaVa\tscript:") are
 * never a link. The server keeps only http(s) links already; this holds for anything stored before that.
 */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
