import type { Registry } from 'prom-client';

/**
 * A gauge with one series per value of one label (a monitor's name), kept beside a prom-client
 * registry and written in the Prometheus text format by Medic itself.
 *
 * Why not a prom-client Gauge: at every scrape prom-client builds an object per series and escapes and
 * joins its labels again, about 2 µs a series — 40 ms of a blocked event loop for the two per-monitor
 * gauges of 10,000 monitors, more on a busy machine. Here each series' line prefix (name and escaped
 * label) is made once, when the series first appears, so a scrape only appends numbers.
 */
export class LabelledGauge {
  private readonly series = new Map<string, { prefix: string; value: number }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly label: string,
  ) {}

  set(labelValue: string, value: number): void {
    const s = this.series.get(labelValue);
    if (s) s.value = value;
    else this.series.set(labelValue, { prefix: `${this.name}{${this.label}="${escapeLabelValue(labelValue)}"} `, value });
  }

  remove(labelValue: string): void {
    this.series.delete(labelValue);
  }

  /** The metric's block in the text format, as prom-client writes one (no trailing newline). */
  render(): string {
    let out = `# HELP ${this.name} ${escapeText(this.help)}\n# TYPE ${this.name} gauge`;
    for (const s of this.series.values()) out += `\n${s.prefix}${formatValue(s.value)}`;
    return out;
  }
}

const gauges = new WeakMap<Registry, Map<string, LabelledGauge>>();

/** Adds the gauge to what renderMetrics writes for the registry; one of the same name is replaced. */
export function registerLabelledGauge(registry: Registry, gauge: LabelledGauge): LabelledGauge {
  let byName = gauges.get(registry);
  if (!byName) gauges.set(registry, (byName = new Map()));
  byName.set(gauge.name, gauge);
  return gauge;
}

export function labelledGauges(registry: Registry): ReadonlyMap<string, LabelledGauge> {
  return gauges.get(registry) ?? new Map();
}

// The text format's escapes: a backslash and a newline in HELP; those and a double quote in a label value.
const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabelValue = (s: string) => escapeText(s).replace(/"/g, '\\"');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return String(v);
}
