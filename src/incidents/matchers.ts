/**
 * Label matching for silences, runbooks, remediation rules and notification routes: every matcher must
 * hold. A value wrapped in slashes (`"/P1|P2/"`) is a regular expression that must match the whole
 * label value; anything else must equal it. A matcher on a label the incident lacks fails, except a
 * regex that matches the empty string (so `"/^$/"` means "label absent").
 */

const cache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern.slice(1, -1)})$`);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function isRegexMatcher(value: string): boolean {
  return value.length > 1 && value.startsWith('/') && value.endsWith('/');
}

export function matchValue(expected: string, actual: string | undefined): boolean {
  if (isRegexMatcher(expected)) return compiled(expected).test(actual ?? '');
  return actual === expected;
}

export function matchLabels(matchers: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!matchers) return true;
  for (const [name, expected] of Object.entries(matchers)) if (!matchValue(expected, labels[name])) return false;
  return true;
}
