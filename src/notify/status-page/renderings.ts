import { renderAtom } from './atom.js';
import { renderBadge } from './badge.js';
import { renderStatusHtml } from './html.js';
import type { StatusPage } from './schema.js';

/**
 * What a computed page is rendered as, by key: `html`, `json`, `atom:<base URL>`, `badge:` (the whole
 * page) and `badge:<service>`. A pure function of the page, run in the render worker.
 */

export const JSON_PATH = '/api/public/status';

export type RenderingKey = 'html' | 'json' | `atom:${string}` | `badge:${string}`;

/** The text of a rendering, or undefined for a badge of a service that is not on the page. */
export function render(page: StatusPage, path: string, key: RenderingKey): string | undefined {
  if (key === 'html') return renderStatusHtml(page, { page: path, feed: `${path}/feed.atom`, json: JSON_PATH });
  if (key === 'json') return JSON.stringify(page);
  if (key.startsWith('atom:')) return renderAtom(page, { base: key.slice(5), page: path, feed: `${path}/feed.atom` });
  const service = key.slice(6);
  if (service === '') return renderBadge(page.title, page.state);
  const s = page.services.find((x) => x.name === service);
  return s && renderBadge(s.name, s.state);
}
