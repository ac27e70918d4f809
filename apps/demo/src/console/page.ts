const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string)

/** The console's one page; `console.js` (bundled from console/app.ts) drives it. */
export const consolePage = ({ from, label }: { from: string; label: string }) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>OneRoute session messages: demo console</title>
  <style>
    body { font: 15px/1.4 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; }
    label { display: block; margin-top: .8rem; font-weight: 600; }
    input, textarea { width: 100%; box-sizing: border-box; font: inherit; padding: .4rem; }
    button { margin: 1rem .5rem 0 0; padding: .5rem 1rem; font: inherit; }
    pre { background: #f4f4f4; padding: 1rem; white-space: pre-wrap; }
    .ok { border-left: 4px solid #2a7; } .failed { border-left: 4px solid #c33; }
  </style>
</head>
<body>
  <h1>Send a WhatsApp session message</h1>
  <p>Through the relay on this server, to ${escapeHtml(label)}. The API key never reaches this page.</p>
  <form id="send">
    <label for="from">From (your business number)</label>
    <input id="from" name="from" value="${escapeHtml(from)}" required>
    <label for="to">To (the customer)</label>
    <input id="to" name="to" value="+234 801 234 5678" required>
    <label for="message">Message</label>
    <textarea id="message" name="message" rows="4">Hello from the OneRoute demo console</textarea>
    <button type="button" id="inbound">Customer writes to us (opens the 24-hour window)</button>
    <button type="submit" id="submit">Send session message</button>
  </form>
  <h2>Outside the window: a template message</h2>
  <p>WhatsApp delivers only registered templates once the 24-hour window is closed. They go to the
  same customer, from the same number, at any time.</p>
  <form id="send-template">
    <label for="template">Template name</label>
    <input id="template" name="template" value="order_update" required>
    <label for="parameters">Parameters, one per line, in placeholder order</label>
    <textarea id="parameters" name="parameters" rows="3">Ada
#1042</textarea>
    <button type="submit" id="template-submit">Send template</button>
  </form>
  <h2>Result</h2>
  <pre id="result" aria-live="polite">Nothing sent yet.</pre>
  <script type="module" src="/console.js"></script>
</body>
</html>
`
