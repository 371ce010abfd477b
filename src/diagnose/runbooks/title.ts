/** "payment-service" → "Payment Service": a report heading such as "Payment Service Diagnostic Report". */
export function serviceTitle(service: string): string {
  return service
    .split(/[-_\s.]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

export function diagnosticReportTitle(service: string | null, incidentId?: number): string {
  if (service) return `${serviceTitle(service)} Diagnostic Report`;
  return incidentId !== undefined ? `Incident #${incidentId} Diagnostic Report` : 'Diagnostic Report';
}
