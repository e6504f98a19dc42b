/** Inline stylesheet: the report must read well opened from disk, offline, with nothing fetched. */
export const STYLES = `
:root { --ink:#0f172a; --muted:#64748b; --line:#e2e8f0; --bg:#f8fafc; --card:#fff; --accent:#2563eb; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink); font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width:1120px; margin:0 auto; padding:24px 28px 64px; }
h1 { font-size:28px; margin:2px 0 12px; word-break:break-word; }
h2 { font-size:19px; margin:0 0 10px; padding-bottom:6px; border-bottom:1px solid var(--line); }
h3 { font-size:14px; margin:16px 0 6px; color:var(--muted); text-transform:uppercase; letter-spacing:.04em; }
section, header { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:18px 20px; margin:0 0 18px; }
code { font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; background:#f1f5f9; padding:1px 5px; border-radius:4px; word-break:break-all; }
.eyebrow { margin:0; color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.08em; }
.muted { color:var(--muted); }
.note { background:#fffbeb; border:1px solid #fde68a; border-radius:6px; padding:6px 10px; }
.banner { border-radius:8px; padding:10px 14px; margin:8px 0 12px; }
.banner-info { background:#eff6ff; border:1px solid #93c5fd; color:#1e3a8a; }
.banner-error { background:#fef2f2; border:1px solid #fca5a5; color:#7f1d1d; }
.meta { display:grid; grid-template-columns:repeat(auto-fill,minmax(250px,1fr)); gap:6px 20px; margin:0; }
.meta div { display:flex; gap:8px; } .meta dt { color:var(--muted); min-width:86px; } .meta dd { margin:0; }
.badge { display:inline-block; padding:0 8px; border-radius:999px; font-weight:600; font-size:12px; }
.badge-good { background:#dcfce7; color:#166534; } .badge-bad { background:#fee2e2; color:#991b1b; }
nav { margin:0 0 18px; display:flex; flex-wrap:wrap; gap:6px 14px; font-size:13px; }
nav a { color:var(--accent); text-decoration:none; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(165px,1fr)); gap:10px; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 12px; background:#fcfdff; }
.card-label { color:var(--muted); font-size:12px; } .card-value { font-size:24px; font-weight:650; font-variant-numeric:tabular-nums; }
.card-note { color:var(--muted); font-size:12px; }
.stack { display:flex; height:16px; border-radius:4px; overflow:hidden; background:#e2e8f0; }
.stack .seg { display:block; height:100%; }
.stack-legend { display:flex; flex-wrap:wrap; gap:14px; margin-top:6px; font-size:13px; }
.key i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:5px; }
.charts { display:grid; grid-template-columns:repeat(auto-fit,minmax(470px,1fr)); gap:12px; }
figure { margin:0; } figcaption { text-align:center; color:var(--muted); font-size:12px; }
svg.chart { width:100%; height:auto; max-width:560px; display:block; margin:0 auto; }
svg .grid { stroke:#eef2f7; } svg .frame { fill:none; stroke:#cbd5e1; }
svg .tick { font-size:11px; fill:#64748b; } svg .axis { font-size:12px; fill:#334155; } svg .legend { font-size:12px; fill:#0f172a; }
.chart-empty { display:flex; flex-direction:column; justify-content:center; align-items:center; text-align:center; min-height:220px; border:1px dashed #cbd5e1; border-radius:8px; color:var(--muted); padding:16px; }
table { border-collapse:collapse; }
table.data { width:100%; font-size:13px; margin:6px 0 10px; }
table.data th, table.data td { padding:5px 8px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
table.data thead th { background:#f1f5f9; position:sticky; top:0; font-weight:600; }
table.data tbody tr:nth-child(even) { background:#fafcff; }
table.data.compact { width:auto; min-width:420px; }
table.kv th { font-weight:500; color:#334155; background:none; }
.num { text-align:right !important; font-variant-numeric:tabular-nums; white-space:nowrap; }
.scroll { overflow:auto; } .scroll.tall { max-height:640px; }
.bar { display:inline-block; width:70px; height:8px; background:#e2e8f0; border-radius:4px; vertical-align:middle; margin-left:6px; }
.bar span { display:block; height:100%; border-radius:4px; }
.hbar { display:inline-block; width:240px; height:10px; background:#f1f5f9; border-radius:4px; vertical-align:middle; }
.hbar span { display:block; height:100%; background:var(--accent); border-radius:4px; }
.chart-key { justify-content:center; }
td.reasons { font-size:12px; color:#334155; word-break:break-word; max-width:620px; } td.reasons div + div { margin-top:3px; }
table.matrix { font-size:12px; font-variant-numeric:tabular-nums; }
table.matrix th.row { text-align:right; padding:3px 8px; font-weight:500; white-space:nowrap; }
table.matrix th.col { vertical-align:bottom; padding:4px 2px; font-weight:500; }
table.matrix th.col span { writing-mode:vertical-rl; transform:rotate(180deg); white-space:nowrap; }
table.matrix th.corner { font-weight:400; color:var(--muted); font-size:11px; vertical-align:bottom; text-align:right; }
td.cm { width:38px; min-width:38px; height:30px; text-align:center; border:1px solid #fff; }
td.cm.zero { color:#cbd5e1; background:#f8fafc; }
.chip { display:inline-block; padding:0 6px; border-radius:4px; background:#f1f5f9; border:1px solid #e2e8f0; font-size:12px; margin:1px 2px 1px 0; white-space:nowrap; }
.chip-gold { background:#ecfdf5; border-color:#a7f3d0; } .chip-pred { background:#fef2f2; border-color:#fecaca; }
table.wrong td.text { white-space:pre-wrap; word-break:break-word; max-width:620px; }
table.rounds td { font-size:12.5px; }
.timebars { max-width:560px; } .timebars div { display:flex; align-items:center; gap:8px; margin:4px 0; }
.tb-label { width:60px; color:var(--muted); } .tb-value { width:80px; text-align:right; font-variant-numeric:tabular-nums; } .tb { flex:1; height:12px; background:#f1f5f9; border-radius:6px; overflow:hidden; } .tb span { display:block; height:100%; }
footer { color:var(--muted); font-size:12px; text-align:center; }
@media print { body { background:#fff; } section, header { break-inside:avoid; border:none; } .scroll.tall { max-height:none; } }
`;
