import { makeBadge } from 'badge-maker';
import type { ServiceState } from './schema.js';

/**
 * A small SVG badge for READMEs, drawn by Shields.io's own library: `checkout | operational`. The SVG
 * carries its text as a title and aria-label, so the colour is never the only signal.
 */

const MESSAGE: Record<ServiceState, string> = { operational: 'operational', degraded: 'degraded', partial_outage: 'partial outage', major_outage: 'major outage' };
const COLOR: Record<ServiceState, string> = { operational: '#1a7f37', degraded: '#9a6700', partial_outage: '#bc4c00', major_outage: '#cf222e' };

export function renderBadge(label: string, state: ServiceState): string {
  // makeBadge escapes the text it draws.
  return makeBadge({ label, message: MESSAGE[state], color: COLOR[state], style: 'flat' });
}
