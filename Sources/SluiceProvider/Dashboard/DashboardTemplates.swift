import Mustache

/// The dashboard's templates (Mustache; `{{ }}` escapes HTML, so nothing a publisher or
/// consumer wrote can become markup). Every page works without JavaScript: the one
/// script only rewrites `<time>` elements, which read UTC without it, into the viewer's
/// time zone.
enum DashboardTemplates {
    static func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        try library.register(layout, named: "layout")
        try library.register(time, named: "time")
        try library.register(overview, named: "overview")
        try library.register(jobs, named: "jobs")
        try library.register(job, named: "job")
        try library.register(assets, named: "assets")
        try library.register(login, named: "login")
        return library
    }

    static let time = #"<time datetime="{{iso}}">{{text}}</time>"#

    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
        <title>{{title}} · Sluice</title>
        <style>
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2430; background: #f5f7fa; }
        header { background: #17324d; color: #fff; padding: 10px 24px; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
        header a { color: #d7e7ff; text-decoration: none; margin-right: 16px; }
        header a:hover { text-decoration: underline; }
        header .node { color: #9fb5cc; font-family: ui-monospace, monospace; font-size: 12px; }
        header form { margin: 0 0 0 auto; }
        main { padding: 16px 24px 32px; max-width: 1400px; }
        h1 { font-size: 20px; margin: 20px 0 10px; }
        h2 { font-size: 16px; margin: 22px 0 8px; }
        table { border-collapse: collapse; background: #fff; width: 100%; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e4e8ee; vertical-align: top; }
        th { background: #eef2f7; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: #4a5668; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; word-break: break-all; }
        .status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e2e8f0; white-space: nowrap; }
        .status.running { background: #dbeafe; color: #1e40af; }
        .status.finished { background: #dcfce7; color: #166534; }
        .status.failed { background: #fee2e2; color: #991b1b; }
        .status.stopped { background: #fef3c7; color: #92400e; }
        .filters { display: flex; gap: 12px; flex-wrap: wrap; align-items: end; background: #fff; padding: 10px 12px; margin-bottom: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
        .filters label { display: flex; flex-direction: column; font-size: 12px; color: #4a5668; gap: 2px; }
        input, select, button { font: inherit; padding: 4px 6px; }
        button { cursor: pointer; }
        pre { background: #0f1720; color: #d8e1ea; padding: 10px 12px; overflow: auto; max-height: 420px; font-size: 12px; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: #fff; padding: 10px 12px; margin: 0; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
        dt { color: #4a5668; }
        dd { margin: 0; }
        .muted { color: #6b7787; }
        .notice { background: #fff7e6; border-left: 3px solid #f59e0b; padding: 8px 12px; }
        footer { padding: 0 24px 24px; color: #6b7787; font-size: 12px; }
        </style>
        </head>
        <body>
        <header>
        <strong>Sluice</strong>
        {{#nav}}<nav><a href="/dashboard">Overview</a><a href="/dashboard/jobs">Jobs</a><a href="/dashboard/assets">Assets</a></nav>
        <span class="node">provider {{provider}} · chain {{chainId}}</span>
        <form method="post" action="/dashboard/logout"><button type="submit">Log out</button></form>{{/nav}}
        </header>
        <main>
        {{{body}}}
        </main>
        <footer>Times read UTC; where JavaScript runs they are shown in your time zone.</footer>
        <script>
        document.querySelectorAll("time[datetime]").forEach(function (t) {
          var d = new Date(t.getAttribute("datetime"));
          if (!isNaN(d)) { t.textContent = d.toLocaleString(); t.title = t.getAttribute("datetime"); }
        });
        </script>
        </body>
        </html>
        """#

    static let overview = #"""
        <h1>Environments</h1>
        <table id="environments">
        <thead><tr><th>Environment</th><th>Backend</th><th class="num">Running</th><th class="num">Queued</th><th class="num">Max jobs</th>
        <th class="num">Max queued</th><th class="num">CPUs</th><th class="num">RAM GB</th><th class="num">Disk GB</th>
        <th class="num">Max duration s</th><th class="num">Results kept s</th></tr></thead>
        <tbody>
        {{#environments}}<tr data-environment="{{id}}"><td><strong>{{id}}</strong><div class="muted">{{description}}</div></td><td>{{backend}}</td>
        <td class="num" data-count="running">{{running}}</td><td class="num" data-count="queued">{{queued}}</td><td class="num">{{maxJobs}}</td>
        <td class="num">{{maxQueuedJobs}}</td><td class="num">{{nCPU}}</td><td class="num">{{ramGB}}</td><td class="num">{{diskGB}}</td>
        <td class="num">{{maxJobDuration}}</td><td class="num">{{storageExpiry}}</td></tr>
        {{/environments}}
        </tbody>
        </table>
        <h1>Disk</h1>
        <dl id="disk">
        <dt>Job workspaces</dt><dd data-bytes="{{workspaceBytes}}">{{workspaces}}</dd>
        <dt>Results of finished jobs</dt><dd data-bytes="{{resultBytes}}">{{results}}</dd>
        <dt>Next expiry</dt><dd id="next-expiry">{{#nextExpiry}}<a class="mono" href="/dashboard/jobs/{{job}}">{{job}}</a>, {{#at}}{{> time}}{{/at}}{{/nextExpiry}}{{^nextExpiry}}no finished job is kept{{/nextExpiry}}</dd>
        </dl>
        """#

    static let jobs = #"""
        <h1>Jobs</h1>
        <form class="filters" method="get" action="/dashboard/jobs">
        <label>Status <select name="status"><option value="">any</option>{{#statuses}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{text}}</option>{{/statuses}}</select></label>
        <label>Owner <input name="owner" value="{{owner}}" placeholder="0x…" size="44"></label>
        <label>Dataset <input name="dataset" value="{{dataset}}" placeholder="did:op:…" size="44"></label>
        <label>Created from (UTC) <input type="date" name="from" value="{{from}}"></label>
        <label>until (UTC, inclusive) <input type="date" name="until" value="{{until}}"></label>
        <button type="submit">Filter</button> <a href="/dashboard/jobs">clear</a>
        </form>
        <table id="jobs">
        <thead><tr><th>Job</th><th>Status</th><th>Environment</th><th>Owner</th><th>Dataset</th><th>Created</th><th>Finished</th><th>Ended because</th></tr></thead>
        <tbody>
        {{#jobs}}<tr data-job="{{id}}" data-status="{{statusCode}}"><td><a class="mono" href="/dashboard/jobs/{{id}}">{{id}}</a></td>
        <td><span class="status {{statusClass}}">{{statusText}}</span></td><td>{{environment}}</td><td class="mono">{{owner}}</td>
        <td class="mono">{{dataset}}</td><td>{{#created}}{{> time}}{{/created}}</td><td>{{#finished}}{{> time}}{{/finished}}</td><td>{{reason}}</td></tr>
        {{/jobs}}
        {{^jobs}}<tr><td colspan="8" class="muted">No job matches.</td></tr>{{/jobs}}
        </tbody>
        </table>
        <p class="muted">{{count}} job(s) shown, newest first (at most {{limit}}).</p>
        """#

    static let job = #"""
        <h1>Job <span class="mono">{{id}}</span> <span class="status {{statusClass}}" id="status">{{statusText}}</span></h1>
        {{#live}}<p class="notice">Running: this page reloads every {{refresh}} seconds.</p>{{/live}}
        <dl id="summary">
        <dt>Environment</dt><dd>{{environment}}</dd>
        <dt>Owner</dt><dd class="mono">{{owner}}</dd>
        <dt>Datasets</dt><dd class="mono">{{#inputs}}{{.}}<br>{{/inputs}}</dd>
        <dt>Algorithm</dt><dd class="mono">{{algorithm}}</dd>
        <dt>Created</dt><dd>{{#created}}{{> time}}{{/created}}</dd>
        <dt>Finished</dt><dd>{{#finished}}{{> time}}{{/finished}}{{^finished}}not yet{{/finished}}</dd>
        <dt>Termination reason</dt><dd id="termination-reason">{{reason}}{{^reason}}none yet{{/reason}}</dd>
        {{#exitCode}}<dt>Exit code</dt><dd>{{exitCode}}</dd>{{/exitCode}}
        {{#error}}<dt>Error</dt><dd>{{error}}</dd>{{/error}}
        </dl>
        <h2>Timeline</h2>
        <table id="timeline">
        <thead><tr><th class="num">Code</th><th>Status</th><th>At</th><th class="num">After start</th></tr></thead>
        <tbody>{{#timeline}}<tr data-status="{{code}}"><td class="num">{{code}}</td><td>{{text}}</td><td>{{#at}}{{> time}}{{/at}}</td><td class="num">{{elapsed}}</td></tr>{{/timeline}}</tbody>
        </table>
        <h2>Resources used</h2>
        <dl id="resources">
        <dt>Ran for</dt><dd>{{ranFor}}</dd>
        <dt>CPU time</dt><dd id="cpu-time">{{cpuTime}}</dd>
        <dt>Peak memory</dt><dd id="peak-memory">{{peakMemory}}</dd>
        <dt>Limits</dt><dd>{{limits}}</dd>
        <dt>Workspace on disk</dt><dd data-bytes="{{workspaceBytes}}">{{workspace}}</dd>
        <dt>Inputs provisioned</dt><dd>{{inputCount}} file(s), {{inputSize}}</dd>
        </dl>
        <h2>Results</h2>
        <table id="results">
        <thead><tr><th class="num">Index</th><th>File</th><th>Kind</th><th class="num">Size</th></tr></thead>
        <tbody>{{#results}}<tr><td class="num">{{index}}</td><td class="mono">{{filename}}</td><td>{{kind}}</td><td class="num" data-bytes="{{bytes}}">{{size}}</td></tr>{{/results}}
        {{^results}}<tr><td colspan="4" class="muted">No results yet.</td></tr>{{/results}}</tbody>
        </table>
        <h2>Output checks</h2>
        {{#checks}}<table id="output-checks">
        <thead><tr><th>File</th><th class="num">Size</th><th>Type</th><th>Decision</th><th>Rule</th><th>Reason</th></tr></thead>
        <tbody>{{#decisions}}<tr><td class="mono">{{filename}}</td><td class="num">{{size}}</td><td>{{type}}</td><td>{{decision}}</td><td>{{rule}}</td><td>{{reason}}</td></tr>{{/decisions}}</tbody>
        </table>
        {{#awaitingReview}}<p class="notice" id="awaiting-review">{{awaitingReview}} output(s) withheld, awaiting the dataset owner's review.</p>{{/awaitingReview}}{{/checks}}
        {{^checks}}<p class="muted">The output checks have not run.</p>{{/checks}}
        <h2>Logs</h2>
        <h3>algorithm.log</h3>
        <pre id="algorithm-log">{{algorithmLog}}</pre>
        <h3>configure.log</h3>
        <pre id="configure-log">{{configureLog}}</pre>
        <h2>Receipt</h2>
        {{#receipt}}<pre id="receipt">{{receipt}}</pre>{{/receipt}}{{^receipt}}<p class="muted">No receipt (the job has not ended, or the node wrote none).</p>{{/receipt}}
        """#

    static let assets = #"""
        <h1>Assets</h1>
        <table id="assets">
        <thead><tr><th>Name</th><th>Type</th><th>DID</th><th>Owner</th><th>Trusted algorithms</th></tr></thead>
        <tbody>
        {{#assets}}<tr data-did="{{did}}"><td>{{name}}</td><td>{{type}}</td><td class="mono">{{did}}</td><td class="mono">{{owner}}</td>
        <td>{{#trusted}}<div><span class="mono">{{did}}</span> {{#name}}({{name}}){{/name}}</div>{{/trusted}}{{^trusted}}<span class="muted">none</span>{{/trusted}}</td></tr>
        {{/assets}}
        {{^assets}}<tr><td colspan="5" class="muted">No assets.</td></tr>{{/assets}}
        </tbody>
        </table>
        """#

    static let login = #"""
        <h1>Operator login</h1>
        {{#message}}<p class="notice" id="login-message">{{message}}</p>{{/message}}
        <form method="post" action="/dashboard/login" class="filters">
        <label>Operator token <input type="password" name="token" autocomplete="current-password" size="48" required></label>
        <button type="submit">Log in</button>
        </form>
        <p class="muted">Or send <code>Authorization: Bearer &lt;token&gt;</code> with each request.</p>
        """#
}
