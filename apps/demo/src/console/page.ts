const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string)

const STYLE = `
  * { box-sizing: border-box; }
  [hidden] { display: none !important; }
  html, body { height: 100%; margin: 0; }
  body { font: 15px/1.4 system-ui, sans-serif; color: #1d2330; background: #f3f5f8; display: grid; grid-template-rows: auto minmax(0, 1fr); }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid #d8dde6; }
  h1 { font-size: 1.15rem; margin: 0; }
  h2 { font-size: 1rem; margin: 0; }
  #connection { font-size: .85rem; color: #4a5568; }
  #connection.live { color: #1c7c4a; } #connection.down { color: #b42318; }
  #simulate { display: flex; gap: .5rem; align-items: center; margin-left: auto; font-size: .85rem; }
  #simulate input { width: 11rem; }
  input, textarea, select, button { font: inherit; }
  input, textarea, select { padding: .35rem .5rem; border: 1px solid #b8c0cc; border-radius: 4px; background: #fff; }
  button { padding: .45rem .9rem; border: 1px solid #2453a6; border-radius: 4px; background: #2f6fdf; color: #fff; cursor: pointer; }
  button:disabled { background: #9aa8bd; border-color: #9aa8bd; cursor: progress; }
  #simulate button { background: #fff; color: #2453a6; }
  main { display: grid; grid-template-columns: 20rem minmax(0, 1fr); min-height: 0; }
  #conversations-pane { overflow-y: auto; background: #fff; border-right: 1px solid #d8dde6; padding: .75rem; min-height: 0; }
  #conversations { list-style: none; margin: .5rem 0 0; padding: 0; }
  #conversations button { display: block; width: 100%; text-align: left; margin: 0 0 .4rem; padding: .5rem .6rem; background: #fff; color: inherit; border: 1px solid #d8dde6; }
  #conversations button[aria-current="true"] { border-color: #2f6fdf; background: #eaf1fd; }
  .who { font-weight: 600; display: block; overflow-wrap: anywhere; }
  .preview { display: block; color: #4a5568; font-size: .85rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .badge { display: inline-block; margin-top: .25rem; font-size: .8rem; padding: .05rem .4rem; border-radius: 3px; }
  .open { background: #dcf3e6; color: #14593a; } .closed { background: #fde4e1; color: #8a1c12; } .unknown { background: #eceff3; color: #3b4556; }
  #thread-pane { display: grid; grid-template-rows: auto minmax(0, 1fr) auto; min-height: 0; min-width: 0; }
  #thread-header { padding: .75rem 1rem; background: #fff; border-bottom: 1px solid #d8dde6; }
  #window { margin: .3rem 0 0; padding: .3rem .6rem; border-radius: 4px; font-weight: 600; }
  #messages { list-style: none; margin: 0; padding: 1rem; overflow-y: auto; min-height: 0; }
  #messages li { max-width: 70%; margin: 0 0 .5rem; padding: .45rem .7rem; border-radius: 8px; background: #fff; border: 1px solid #d8dde6; overflow-wrap: anywhere; white-space: pre-wrap; }
  #messages li.outbound { margin-left: auto; background: #e3eefc; border-color: #bcd0f0; }
  #messages time { display: block; font-size: .75rem; color: #5b6575; }
  #send-box { padding: .75rem 1rem; background: #fff; border-top: 1px solid #d8dde6; display: grid; gap: .4rem; }
  #send-box fieldset { border: 0; margin: 0; padding: 0; display: grid; gap: .4rem; min-width: 0; }
  #send-box label { font-weight: 600; font-size: .9rem; }
  #send-box textarea { width: 100%; resize: vertical; }
  #template-parameters { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .4rem; }
  #template-parameters input { width: 100%; font-weight: normal; }
  .hint { margin: 0; font-size: .9rem; color: #4a5568; }
  .actions { display: flex; align-items: center; gap: 1rem; }
  #send-result { margin: 0; font-size: .9rem; }
  #send-result.ok { color: #1c7c4a; } #send-result.failed { color: #b42318; font-weight: 600; }
`

/** The console's one page, a support inbox; `console.js` (bundled from console/app.ts) drives it. */
export const consolePage = ({ label }: { label: string }) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <link rel="icon" href="data:,">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Support inbox: OneRoute demo console</title>
  <style>${STYLE}</style>
</head>
<body>
  <header>
    <h1>Support inbox</h1>
    <span id="connection" role="status">Connecting…</span>
    <span class="hint">Sending through ${escapeHtml(label)}; the API key stays on the server.</span>
    <form id="simulate" hidden>
      <label for="sim-customer">Demo customer</label>
      <input id="sim-customer" value="+234 801 234 5678" required>
      <input id="sim-text" aria-label="What the customer writes" value="Hi, where is my order?" required>
      <button type="submit" id="inbound">Simulate a customer message</button>
    </form>
  </header>
  <main>
    <nav id="conversations-pane" aria-label="Conversations">
      <h2>Conversations</h2>
      <ul id="conversations"></ul>
      <p id="no-conversations" class="hint">No conversations yet. They appear here as soon as a customer writes.</p>
    </nav>
    <section id="thread-pane" aria-label="Conversation">
      <div id="thread-header">
        <h2 id="customer">Choose a conversation</h2>
        <p id="window" class="unknown" hidden></p>
      </div>
      <ol id="messages"></ol>
      <form id="send-box" hidden>
        <fieldset id="session-fields">
          <label for="message">Reply</label>
          <textarea id="message" rows="3" maxlength="4096" required></textarea>
        </fieldset>
        <fieldset id="template-fields" hidden disabled>
          <p class="hint">Outside the 24-hour window WhatsApp delivers only a registered template.</p>
          <label for="template">Template</label>
          <select id="template"></select>
          <div id="template-parameters"></div>
        </fieldset>
        <div class="actions">
          <button type="submit" id="send">Send message</button>
          <p id="send-result" aria-live="polite"></p>
        </div>
      </form>
    </section>
  </main>
  <script type="module" src="/console.js"></script>
</body>
</html>
`
