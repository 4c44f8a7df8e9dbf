// The dashboard stylesheet, served as a static file (/static/style.css): mobile first, high contrast.
export const STYLE_CSS = `
:root{color-scheme:light dark;--fg:#16191d;--muted:#4a515b;--bg:#fff;--line:#d0d4da;--accent:#1f5fbf;--up:#1d6b2a;--down:#a3162f;--hover:rgba(0,114,178,.08);font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45;color:var(--fg);background:var(--bg)}
*{box-sizing:border-box}
body{margin:0}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem}
.skip:focus{left:.5rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.75rem 1rem;border-bottom:1px solid var(--line)}
.brand{font-weight:700;text-decoration:none;color:var(--fg);font-size:1.1rem}
.top ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
.top a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
main{max-width:64rem;margin:0 auto;padding:1rem}
main:focus{outline:none}
h1{font-size:1.5rem;margin:.5rem 0}
.question{font-size:1.1rem}
.updated,.meta,small,.deadline{color:var(--muted)}
.block{display:block}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem;list-style:none;padding:0}
.card{border:1px solid var(--line);border-radius:.5rem;padding:1rem}
.card h3{margin:0 0 .25rem;font-size:1.05rem}
.prob{font-size:2.5rem;font-weight:700;margin:.25rem 0;font-variant-numeric:tabular-nums}
.prob.big{font-size:3rem}
.bar{width:100%;height:.6rem;display:block}
.changes{display:flex;gap:1.5rem;margin:.5rem 0}
.changes dt{font-size:.8rem;color:var(--muted)}
.changes dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.up{color:var(--up)}.down{color:var(--down)}.flat{color:var(--muted)}
.chart{margin:0;color:var(--fg)}
.chart-svg{width:100%;height:auto;display:block;overflow:visible}
.chart-svg.narrow{display:none}
@media (max-width:36rem){.chart-svg.wide{display:none}.chart-svg.narrow{display:block}}
.chart-svg .grid line{stroke:var(--line)}
.chart-svg .tick line{stroke:var(--muted)}
.chart-svg text{fill:var(--fg)}
.chart-svg{cursor:crosshair}
.chart-svg .hit{fill:transparent}
.chart-svg .mark{fill:var(--bg)}
.chart-svg .move:hover .mark,.chart-svg .move:focus .mark{stroke-width:5}
.chart-svg .move:focus{outline:none}
.chart-svg .move:focus-visible .hit{stroke:#f0b400;stroke-width:3}
.chart-svg .move-label{font-weight:700;paint-order:stroke;stroke:var(--bg);stroke-width:3px}
.chart-svg .tip{visibility:hidden;pointer-events:none}
.chart-svg .tip rect{fill:var(--bg);stroke:var(--fg)}
.move.m0:hover~.tips .t0,.move.m0:focus~.tips .t0,.move.m1:hover~.tips .t1,.move.m1:focus~.tips .t1,.move.m2:hover~.tips .t2,.move.m2:focus~.tips .t2,.move.m3:hover~.tips .t3,.move.m3:focus~.tips .t3,.move.m4:hover~.tips .t4,.move.m4:focus~.tips .t4,.move.m5:hover~.tips .t5,.move.m5:focus~.tips .t5,.move.m6:hover~.tips .t6,.move.m6:focus~.tips .t6,.move.m7:hover~.tips .t7,.move.m7:focus~.tips .t7{visibility:visible}
.chart-svg .crosshair{stroke:var(--muted);stroke-width:1}
.readout{min-height:1.45em;margin:.25rem 0;font-variant-numeric:tabular-nums}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1rem;list-style:none;padding:0}
.legend-note{color:var(--muted)}
.moves .headline{color:var(--muted)}
.pager{display:flex;justify-content:space-between;margin:.5rem 0}
.push{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.25rem 0;font-weight:600;font-variant-numeric:tabular-nums}
.day-stories{padding-left:1.25rem}
.day-stories>li{border-bottom:1px solid var(--line);padding:.5rem 0}
.story-tags{margin:.25rem 0 0;padding-left:1rem;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid var(--line)}
caption{text-align:left;font-weight:700;padding:.5rem 0}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto}.scroll:focus-visible{outline:3px solid #f0b400;outline-offset:2px}.watch-list{padding-left:1.4rem}.watch-list li{margin:.2rem 0}.watch-table th[scope=row]{font-weight:400;text-align:left}
.state{font-weight:600}
.state.active,.state.ok{color:var(--up)}
.state.quiet,.state.pending{color:var(--muted)}
.state.failing{color:var(--down)}
.filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:1rem 0}
select,button{font:inherit;padding:.35rem .6rem;border:1px solid var(--muted);border-radius:.3rem;background:var(--bg);color:var(--fg)}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
.stream,.alerts{list-style:none;padding:0}
.story{border-bottom:1px solid var(--line);padding:.75rem 0}
.alerts>li{border-bottom:1px solid var(--line);padding:.4rem 0}
.alert-title{font-size:1rem;margin:0;font-weight:600}
.alerts .meta{margin:.1rem 0;font-size:.9rem}
.kind{font-weight:600;color:var(--fg)}
.alert-stories{margin:.1rem 0;padding-left:1.1rem;font-size:.9rem}
.alert-stories li{overflow-wrap:anywhere}
.story-title{font-size:1.05rem;margin:0}
.tags{list-style:none;padding:0}
.tag{display:inline-block;font-size:.85rem;border:1px solid var(--line);border-radius:1rem;padding:0 .5rem}
.tag.negated{border-color:var(--down);color:var(--down)}
blockquote{margin:.25rem 0 .5rem 1rem;color:var(--muted);overflow-wrap:anywhere}
.spark{display:block;max-width:100%;height:auto}
.empty{color:var(--muted);font-style:italic}
.banner{border:2px solid #b35c00;background:#fff4e5;color:#16191d;padding:.6rem .8rem;border-radius:4px;margin:.5rem 0}
.resolved{border-left:4px solid var(--accent);padding:.1rem .8rem;margin:.5rem 0}
.bottom{border-top:1px solid var(--line);padding:1rem;text-align:center;color:var(--muted)}
@media (prefers-color-scheme:dark){
:root{--fg:#e8eaed;--muted:#a9b0bb;--bg:#15181c;--line:#3a4048;--accent:#8ab4f8;--up:#7fd08a;--down:#ff8a9a;--hover:rgba(138,180,248,.12)}
button{color:#15181c}
.banner{background:#3a2a12;color:#f3e3c8;border-color:#e0a050}
.bar .bar-bg{fill:#2c3138}
.spark .spark-line{stroke:#8ab4f8}
.spark .spark-base{stroke:#a9b0bb}
.chart-svg .s0,.legend .s0{stroke:#56B4E9}.bar .s0,.chart-svg circle.point.s0{fill:#56B4E9}.chart-svg .s1,.legend .s1{stroke:#E69F00}.bar .s1,.chart-svg circle.point.s1{fill:#E69F00}.chart-svg .s2,.legend .s2{stroke:#3CC69B}.bar .s2,.chart-svg circle.point.s2{fill:#3CC69B}.chart-svg .s3,.legend .s3{stroke:#E08FC0}.bar .s3,.chart-svg circle.point.s3{fill:#E08FC0}.chart-svg .s4,.legend .s4{stroke:#F0E442}.bar .s4,.chart-svg circle.point.s4{fill:#F0E442}.chart-svg .s5,.legend .s5{stroke:#BBBBBB}.bar .s5,.chart-svg circle.point.s5{fill:#BBBBBB}
}
@media (max-width:40rem){.prob{font-size:2rem}th,td{padding:.3rem}}
`;
