/// The dashboard page: plain HTML, CSS and JavaScript served from the binary (no build step).
/// One column on a phone, a grid on a wide screen; live through the /v1/events WebSocket.
enum DashboardPage {
    static func html(csrfToken: String) -> String {
        template.replacingOccurrences(of: "{{CSRF}}", with: csrfToken)
    }

    static let template = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="{{CSRF}}">
        <title>mybro</title>
        <style>
        :root { --bg:#101418; --card:#1a2027; --text:#e6edf3; --dim:#8b98a5; --accent:#4ea1ff; --ok:#3fb950; --bad:#f85149; --warn:#d29922; }
        * { box-sizing: border-box; }
        body { margin:0; font:15px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--text); }
        header { display:flex; flex-wrap:wrap; align-items:center; gap:.6rem; padding:.7rem 1rem; background:#0b0e11; position:sticky; top:0; z-index:1; }
        h1 { font-size:1.1rem; margin:0 .4rem 0 0; }
        h2 { font-size:.8rem; text-transform:uppercase; letter-spacing:.06em; color:var(--dim); margin:0 0 .5rem; }
        main { display:grid; gap:.8rem; padding:.8rem; grid-template-columns:1fr; }
        @media (min-width: 900px) { main { grid-template-columns:1fr 1fr; } .wide { grid-column:1 / -1; } }
        section { background:var(--card); border-radius:10px; padding:.8rem 1rem; min-width:0; }
        #phase { font-weight:700; padding:.25rem .7rem; border-radius:99px; background:#2d333b; text-transform:uppercase; font-size:.85rem; }
        #phase[data-phase=hearing] { background:#1f6feb; } #phase[data-phase=thinking] { background:#8957e5; }
        #phase[data-phase=running] { background:#bf8700; } #phase[data-phase=speaking] { background:#238636; }
        #meter { width:90px; height:10px; background:#2d333b; border-radius:5px; overflow:hidden; }
        #meter > div { height:100%; width:0; background:var(--ok); transition:width .1s; }
        #conn { width:10px; height:10px; border-radius:50%; background:var(--bad); }
        #conn.on { background:var(--ok); }
        .spacer { flex:1; }
        button { font:inherit; border:0; border-radius:8px; padding:.45rem .9rem; cursor:pointer; color:#fff; background:#30363d; }
        button.stop { background:var(--bad); } button.yes { background:var(--ok); } button.no { background:#6e7681; }
        button:disabled { opacity:.4; cursor:default; }
        #heard { font-size:1.25rem; } #partial { color:var(--dim); font-style:italic; min-height:1.2em; }
        .muted-note { color:var(--warn); font-weight:600; }
        .kv { color:var(--dim); } .big { font-size:1.1rem; word-break:break-word; }
        #confirmation { border:2px solid var(--warn); } #confirmation[hidden] { display:none; }
        pre { background:#0b0e11; padding:.5rem; border-radius:6px; max-height:16rem; overflow:auto; margin:.5rem 0 0; white-space:pre-wrap; word-break:break-all; font-size:.8rem; }
        .bar { display:flex; height:14px; border-radius:4px; overflow:hidden; background:#2d333b; margin:.15rem 0 .5rem; }
        .bar span { display:block; height:100%; } .s1 { background:#1f6feb; } .s2 { background:#8957e5; } .s3 { background:#238636; }
        .legend span { display:inline-block; width:.7rem; height:.7rem; border-radius:2px; margin:0 .2rem 0 .6rem; vertical-align:middle; }
        table { width:100%; border-collapse:collapse; font-size:.85rem; } td, th { text-align:left; padding:.25rem .35rem; border-bottom:1px solid #2d333b; vertical-align:top; }
        .succeeded { color:var(--ok); } .failed, .error, .timeout { color:var(--bad); } .stopped { color:var(--warn); }
        #logs div { font:12px ui-monospace, monospace; padding:.1rem 0; border-bottom:1px solid #22272e; word-break:break-word; }
        .l-warning { color:var(--warn); } .l-error { color:var(--bad); } .l-debug { color:var(--dim); }
        select, input { font:inherit; background:#0b0e11; color:var(--text); border:1px solid #30363d; border-radius:6px; padding:.2rem .4rem; }
        </style>
        </head>
        <body>
        <header>
          <h1>mybro</h1>
          <span id="phase" data-phase="listening">listening</span>
          <div id="meter" title="audio level"><div></div></div>
          <span id="level" class="kv"></span>
          <span id="mutedNote" class="muted-note" hidden>muted</span>
          <span class="spacer"></span>
          <span id="conn" title="live connection"></span>
          <button id="mute">Mute</button>
        </header>
        <main>
          <section><h2>Words</h2><div id="partial"></div><div id="heard">…</div></section>
          <section><h2>Intent</h2><div id="intent" class="big">—</div><div id="intentMeta" class="kv"></div></section>
          <section id="confirmation" class="wide" hidden><h2>Confirm?</h2><div id="question" class="big"></div>
            <p><button id="yes" class="yes">Yes</button> <button id="no" class="no">No</button></p></section>
          <section class="wide"><h2>Job</h2>
            <div style="display:flex;gap:.6rem;align-items:center;flex-wrap:wrap"><div id="job" class="big" style="flex:1">no job yet</div><button id="stop" class="stop">Stop</button></div>
            <div id="jobMeta" class="kv"></div><pre id="output"></pre></section>
          <section><h2>Latency per request (ms after end of speech)</h2>
            <div class="legend kv"><span class="s1"></span>transcript<span class="s2"></span>intent<span class="s3"></span>first reply</div>
            <div id="latency"></div></section>
          <section><h2>Recent jobs</h2><table><thead><tr><th>#</th><th>status</th><th>s</th><th>what</th></tr></thead><tbody id="jobs"></tbody></table></section>
          <section class="wide"><h2>Logs</h2>
            <p><select id="logLevel"><option value="0">all levels</option><option value="1" selected>info+</option><option value="2">warning+</option><option value="3">error</option></select>
            <input id="logTool" placeholder="tool (e.g. mybro-exec)" size="18"></p>
            <div id="logs"></div></section>
          <section class="wide kv" id="counters"></section>
        </main>
        <script>
        "use strict";
        const $ = (id) => document.getElementById(id);
        const csrf = document.querySelector('meta[name=csrf-token]').content;
        const levels = { debug: 0, info: 1, warning: 2, error: 3 };
        let state = { status: {}, words: {}, output: [], requests: [], jobs: [], logs: [] };
        window.mybroLatencies = [];
        window.mybroMessages = 0;

        function text(node, value) { if (node.textContent !== value) node.textContent = value; }
        function now() { return performance.timeOrigin + performance.now(); }

        function renderStatus() {
          const s = state.status || {};
          let phase = s.phase || "listening";
          if (phase === "speaking" && now() > (s.speaking_until || 0)) phase = "listening";
          const p = $("phase"); text(p, phase); p.dataset.phase = phase;
          const level = typeof s.level === "number" ? s.level : -96;
          $("meter").firstElementChild.style.width = Math.max(0, Math.min(100, (level + 70) / 70 * 100)) + "%";
          text($("level"), typeof s.level === "number" ? s.level.toFixed(0) + " dBFS" : "");
          $("mutedNote").hidden = !s.muted;
          text($("mute"), s.muted ? "Unmute" : "Mute");
          text($("counters"), `${s.records || 0} records · ${s.malformed || 0} malformed skipped · input: ${s.input || "?"}${s.input_ended ? " (ended)" : ""}` +
            (s.error ? ` · last error: ${s.error}` : ""));
        }
        function renderWords() {
          const w = state.words || {};
          text($("partial"), w.partial || "");
          text($("heard"), w.transcript ? "“" + w.transcript + "”" : "…");
        }
        function describe(o) {
          if (!o) return "";
          return o.command || o.prompt || (o.task ? o.task + (o.mode ? " (" + o.mode + ")" : "") : "") || o.text || "";
        }
        function renderIntent() {
          const i = state.intent;
          text($("intent"), i ? i.action + (describe(i) ? ": " + describe(i) : "") : "—");
          text($("intentMeta"), i ? `confidence ${Math.round((i.confidence || 0) * 100)}% · ${i.backend || "?"}` : "");
        }
        function renderConfirmation() {
          const c = state.confirmation;
          $("confirmation").hidden = !c;
          text($("question"), c ? (c.text || describe(c)) + (c.reason ? " — " + c.reason : "") : "");
        }
        function renderJob() {
          const j = state.job;
          text($("job"), j ? `#${j.job ?? "?"} ${describe(j) || j.action || ""}` : "no job yet");
          text($("jobMeta"), j ? [j.status, j.exit !== undefined ? "exit " + j.exit : "", j.duration !== undefined ? j.duration + " s" : "", j.summary || "", j.sandbox ? "sandbox " + j.sandbox : ""].filter(Boolean).join(" · ") : "");
          $("stop").disabled = !j || j.status !== "running";
        }
        function renderOutput() {
          text($("output"), (state.output || []).map((l) => (l.stream === "stderr" ? "! " : "") + l.text).join("\n"));
          $("output").scrollTop = 1e9;
        }
        function renderLatency() {
          const rows = (state.requests || []).slice(-8).reverse();
          const max = Math.max(500, ...rows.map((r) => r.reply_ms || r.intent_ms || r.transcript_ms || 0));
          $("latency").innerHTML = "";
          for (const r of rows) {
            const label = document.createElement("div");
            label.className = "kv";
            const total = r.reply_ms ?? r.intent_ms ?? r.transcript_ms;
            label.textContent = `${r.text || "(request " + r.id + ")"} — ${total != null ? total + " ms" : "…"}`;
            const bar = document.createElement("div");
            bar.className = "bar latency-bar";
            let previous = 0;
            [["transcript_ms", "s1"], ["intent_ms", "s2"], ["reply_ms", "s3"]].forEach(([key, cls]) => {
              if (r[key] == null) return;
              const span = document.createElement("span");
              span.className = cls;
              span.style.width = Math.max(0.5, (r[key] - previous) / max * 100) + "%";
              span.title = `${key.replace("_ms", "")}: +${r[key] - previous} ms`;
              previous = r[key];
              bar.appendChild(span);
            });
            $("latency").append(label, bar);
          }
        }
        function renderJobs() {
          const body = $("jobs"); body.innerHTML = "";
          for (const j of (state.jobs || []).slice(0, 10)) {
            const tr = document.createElement("tr");
            for (const [value, cls] of [["#" + j.id], [j.status, j.status], [j.duration ?? ""], [(j.command || "") + (j.summary ? " — " + j.summary : "")]]) {
              const td = document.createElement("td"); td.textContent = value; if (cls) td.className = cls; tr.appendChild(td);
            }
            body.appendChild(tr);
          }
        }
        function renderLogs() {
          const min = Number($("logLevel").value), tool = $("logTool").value.trim();
          const box = $("logs"); box.innerHTML = "";
          for (const l of state.logs.filter((l) => (levels[l.level] ?? 1) >= min && (!tool || l.tool === tool)).slice(-60).reverse()) {
            const div = document.createElement("div");
            div.className = "l-" + l.level;
            div.textContent = `${(l.time || "").slice(11, 23)} ${l.tool} ${l.level}: ${l.message}`;
            box.appendChild(div);
          }
        }
        const renderers = { status: renderStatus, words: renderWords, intent: renderIntent, confirmation: renderConfirmation, job: renderJob, output: renderOutput, jobs: renderJobs };
        function renderAll() { Object.values(renderers).forEach((r) => r()); renderLatency(); renderLogs(); }

        function handle(message) {
          window.mybroMessages++;
          if (message.kind === "snapshot") {
            state = Object.assign({ logs: [] }, message.state);
            renderAll();
          } else if (message.kind === "update") {
            for (const [key, value] of Object.entries(message.set || {})) { state[key] = value; renderers[key] && renderers[key](); }
            if (message.output) { state.output.push(message.output); if (state.output.length > 300) state.output.shift(); renderOutput(); }
            if (message.request) {
              const i = state.requests.findIndex((r) => r.id === message.request.id);
              if (i >= 0) state.requests[i] = message.request; else state.requests.push(message.request);
              if (state.requests.length > 20) state.requests.shift();
              renderLatency();
            }
          } else if (message.kind === "log") {
            state.logs.push(message.log); if (state.logs.length > 500) state.logs.shift(); renderLogs();
          }
          if (message.received && message.kind !== "snapshot") {
            const l = window.mybroLatencies; l.push(now() - message.received); if (l.length > 20000) l.shift();
          }
        }

        let retry = 250;
        function connect() {
          const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/events");
          ws.onopen = () => { $("conn").classList.add("on"); retry = 250; };
          ws.onmessage = (event) => handle(JSON.parse(event.data));
          ws.onclose = () => { $("conn").classList.remove("on"); setTimeout(connect, retry); retry = Math.min(retry * 2, 5000); };
        }

        async function control(name) {
          const response = await fetch("/v1/control/" + name, { method: "POST", headers: { "X-CSRF-Token": csrf } });
          if (!response.ok) {
            const body = await response.json().catch(() => ({}));
            state.logs.push({ time: new Date().toISOString(), tool: "dashboard", level: "error", message: `${name}: ${body.error ? body.error.message : response.status}` });
            renderLogs();
          }
        }
        $("stop").onclick = () => control("stop");
        $("yes").onclick = () => control("confirm");
        $("no").onclick = () => control("deny");
        $("mute").onclick = () => control(state.status && state.status.muted ? "unmute" : "mute");
        $("logLevel").onchange = renderLogs;
        $("logTool").oninput = renderLogs;
        setInterval(renderStatus, 500);
        connect();
        </script>
        </body>
        </html>
        """#
}
