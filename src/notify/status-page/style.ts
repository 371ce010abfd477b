/**
 * The status page's stylesheet (inline: the page is one answer, and the CSP allows inline styles, never
 * scripts). Light and dark follow the reader's system; colours meet WCAG AA contrast on their background
 * and always come with words.
 */
export const STATUS_PAGE_CSS = `
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--op:#1a7f37;--dg:#9a6700;--po:#bc4c00;--mo:#cf222e;--nd:#d1d9e0;--on:#fff}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--op:#3fb950;--dg:#d29922;--po:#db6d28;--mo:#f85149;--nd:#3d444d;--on:#0d1117}}
*{box-sizing:border-box}
html{background:var(--bg);color:var(--fg)}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer{max-width:56rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.75rem;margin:1.5rem 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
h3{font-size:1rem;margin:0}
a{color:inherit}
.overall{margin:0;padding:1rem;border:1px solid var(--line);border-left-width:.5rem;border-radius:.5rem;background:var(--card);font-size:1.125rem;font-weight:600}
.icon{display:inline-block;width:1.5em;height:1.5em;line-height:1.5em;border-radius:50%;text-align:center;color:var(--on);font-weight:700}
.s-operational{border-left-color:var(--op)}.s-operational .icon{background:var(--op)}
.s-degraded{border-left-color:var(--dg)}.s-degraded .icon{background:var(--dg)}
.s-partial_outage{border-left-color:var(--po)}.s-partial_outage .icon{background:var(--po)}
.s-major_outage{border-left-color:var(--mo)}.s-major_outage .icon{background:var(--mo)}
.services{list-style:none;margin:0;padding:0;border:1px solid var(--line);border-radius:.5rem}
.service{padding:1rem;border-top:1px solid var(--line)}
.service:first-child{border-top:0}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.25rem 1rem}
.state{margin:0;font-size:.9375rem}
.state .icon{width:1.25rem;height:1.25rem;line-height:1.25rem;font-size:.75rem}
.bars{display:flex;gap:2px;height:2rem;list-style:none;margin:.75rem 0 .25rem;padding:0}
.bars li{flex:1 1 0;min-width:0;border-radius:2px}
.op{background:var(--op)}.dg{background:var(--dg)}.po{background:var(--po)}.mo{background:var(--mo)}.nd{background:var(--nd)}
.axis{display:flex;justify-content:space-between;color:var(--muted);font-size:.8125rem}
.axis .short{display:none}
.summary{margin:.25rem 0 0;color:var(--muted);font-size:.875rem}
.incident{margin:0 0 1rem;padding:1rem;border:1px solid var(--line);border-left-width:.5rem;border-radius:.5rem;background:var(--card)}
.i-degraded{border-left-color:var(--dg)}.i-partial_outage{border-left-color:var(--po)}.i-major_outage{border-left-color:var(--mo)}
.meta{margin:.25rem 0 0;color:var(--muted)}
.updates{list-style:none;margin:.75rem 0 0;padding:0}
.updates li{padding:.5rem 0;border-top:1px solid var(--line)}
.updates p{margin:0}
.message{white-space:pre-line;overflow-wrap:anywhere}
footer{margin:2rem auto;color:var(--muted);font-size:.875rem}
@media (max-width:40rem){h1{font-size:1.375rem}.axis .long{display:none}.axis .short{display:inline}}
`.replace(/\n/g, '');
