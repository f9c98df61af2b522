export const ADMIN_STYLES = `
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6578; --line: #dfe3ea; --panel: #fff; --bg: #f4f6f9; --brand: #3b5bdb; --ok: #2b8a3e; --warn: #b35c00; --bad: #c92a2a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .75rem 1.5rem; background: #1d2433; color: #fff; }
header .brand { font-weight: 650; letter-spacing: .01em; }
header nav { display: flex; gap: .25rem; }
header nav a { color: #d0d7e5; text-decoration: none; padding: .35rem .75rem; border-radius: 6px; }
header nav a[aria-current="page"] { background: #3a4358; color: #fff; }
main { max-width: 1080px; margin: 0 auto; padding: 1.5rem; display: grid; gap: 1.25rem; }
section.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 1.1rem 1.25rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; } h2 { font-size: 1.05rem; margin: 0 0 .75rem; } h3 { font-size: .98rem; margin: 0; }
.muted { color: var(--muted); } code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eef1f6; padding: .05rem .3rem; border-radius: 4px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; } th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
fieldset { border: 0; padding: 0; margin: 0 0 .75rem; } legend { font-weight: 600; margin-bottom: .35rem; }
label { display: inline-flex; align-items: center; gap: .35rem; margin: 0 1rem .35rem 0; }
button { font: inherit; border: 1px solid var(--line); background: #fff; color: var(--ink); padding: .4rem .8rem; border-radius: 7px; cursor: pointer; }
button:hover { background: #f0f3f8; } button.primary { background: var(--brand); border-color: var(--brand); color: #fff; } button.primary:hover { background: #2f4ac0; }
button.danger { color: var(--bad); border-color: #f1c4c4; } button[aria-busy="true"] { opacity: .6; cursor: progress; }
:focus-visible { outline: 3px solid #91a7ff; outline-offset: 2px; }
.integrations { display: grid; gap: .9rem; }
article.integration { border: 1px solid var(--line); border-radius: 9px; padding: .9rem 1rem; display: grid; gap: .6rem; }
article.integration .top { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: .1rem .55rem; border-radius: 999px; background: #eef1f6; color: var(--muted); }
.badge.ok { background: #e6f4ea; color: var(--ok); } .badge.warn { background: #fff1e0; color: var(--warn); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; font-size: 14px; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
article.integration.highlight { border: 2px solid var(--brand); box-shadow: 0 0 0 4px #dbe4ff; }
.deep-link { margin: 0; font-size: 14px; font-weight: 600; color: #2f4ac0; }
.actions { display: flex; flex-wrap: wrap; gap: .45rem; }
output { display: block; font-size: 13px; } output:empty { display: none; }
output pre { margin: .35rem 0 0; padding: .6rem .7rem; background: #0f1422; color: #dfe6f5; border-radius: 7px; overflow: auto; max-height: 16rem; white-space: pre-wrap; word-break: break-word; }
.status-ok { color: var(--ok); font-weight: 600; } .status-bad { color: var(--bad); font-weight: 600; }
.empty { padding: 1rem; text-align: center; color: var(--muted); border: 1px dashed var(--line); border-radius: 9px; }
`;
