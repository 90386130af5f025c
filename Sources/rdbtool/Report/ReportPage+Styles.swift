extension ReportPage {
  /// The page's style sheet: system fonts only, light colours, print-friendly.
  static let styles = #"""
    :root { --fg: #1d2330; --muted: #5c6577; --line: #dde1e8; --bg: #f6f7f9; --card: #fff;
      --accent: #2f6fdf; --warn: #b3541e; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      color: var(--fg); background: var(--bg); }
    header { padding: 20px 32px 12px; background: var(--card); border-bottom: 1px solid var(--line); }
    header h1 { margin: 0 0 4px; font-size: 22px; overflow-wrap: anywhere; }
    header p { margin: 0; color: var(--muted); }
    nav { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 10px; }
    nav a { color: var(--accent); text-decoration: none; font-size: 13px; }
    main { max-width: 1240px; margin: 0 auto; padding: 8px 24px 48px; }
    section { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
      padding: 16px 20px; margin: 16px 0; }
    h2 { font-size: 17px; margin: 0 0 10px; }
    h3 { font-size: 14px; margin: 14px 0 6px; color: var(--muted); }
    .intro { color: var(--muted); margin: 0 0 10px; }
    .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; }
    .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
    .card .label { color: var(--muted); font-size: 12px; }
    .card .value { font-size: 20px; font-weight: 600; overflow-wrap: anywhere; }
    .note { color: var(--muted); font-size: 12px; margin-top: 8px; white-space: pre-line; }
    .cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 18px; }
    table { border-collapse: collapse; width: 100%; font-size: 13px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
      vertical-align: middle; }
    th { color: var(--muted); font-weight: 600; white-space: nowrap; }
    th.sortable { cursor: pointer; user-select: none; }
    th.sortable::after { content: " \2195"; color: #aab; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.key { font-family: ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere;
      max-width: 420px; }
    .bar { height: 10px; background: var(--accent); border-radius: 2px; min-width: 1px; }
    .stack { display: flex; height: 12px; width: 100%; min-width: 120px; border-radius: 2px;
      overflow: hidden; background: #eef0f4; }
    .stack span { display: block; height: 100%; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 12px; color: var(--muted);
      margin: 6px 0; }
    .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px;
      border-radius: 2px; vertical-align: -1px; }
    .crumbs { font-size: 13px; margin: 4px 0 8px; }
    .crumbs a { color: var(--accent); cursor: pointer; }
    svg text { font: 11px system-ui, sans-serif; fill: #1d2330; pointer-events: none; }
    svg rect.node { stroke: #fff; stroke-width: 1; cursor: pointer; }
    svg rect.node:hover { opacity: 0.8; }
    .tabs button { border: 1px solid var(--line); background: var(--card); padding: 3px 10px;
      border-radius: 4px; cursor: pointer; margin-right: 4px; }
    .tabs button.on { background: var(--accent); color: #fff; border-color: var(--accent); }
    .finding { border-left: 4px solid var(--accent); padding: 6px 10px; margin: 8px 0;
      background: #f3f6fc; }
    .finding.warn { border-color: var(--warn); background: #fbf3ee; }
    .finding b { display: block; }
    canvas { image-rendering: pixelated; border: 1px solid var(--line); max-width: 100%; }
    .muted { color: var(--muted); }
    .scroll { max-height: 560px; overflow: auto; }
    """#
}
