import { pageCsp } from '../http/security-headers.ts';

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:64rem;margin:1.5rem auto;padding:0 1rem;line-height:1.4;overflow-wrap:anywhere}
h1{font-size:1.6rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}
td.when{white-space:nowrap}td.body{white-space:pre-wrap;max-width:28rem}.status{font-weight:600}
.phone{border:1px solid #999;border-radius:1rem;padding:1rem;max-width:24rem}
.msg{white-space:pre-wrap;margin:.3rem 0;padding:.4rem .6rem;border-radius:.6rem;max-width:85%}
.in{background:#dcf3ff;margin-left:auto}.out{background:#eee}
label{display:block;margin:.4rem 0}input,textarea,button{font:inherit}input,textarea{box-sizing:border-box;max-width:100%}textarea{width:100%}
#error{color:#a00}#loading:empty{display:none}.heading-row{display:flex;align-items:center;gap:1rem}
@media (max-width:40rem){
body{margin:1rem auto}.phone{padding:.75rem}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
table,tbody,td{display:block}
tr{display:flex;flex-wrap:wrap;gap:0 1rem;border:1px solid #ccc;border-radius:.5rem;padding:.4rem .6rem;margin:0 0 .6rem}
td{border:0;padding:.1rem 0}td.when{flex-basis:100%;font-weight:600}
td.body{flex-basis:100%;max-width:none;margin-top:.3rem;padding-top:.3rem;border-top:1px solid #eee}
td[data-label]::before{content:attr(data-label) ": ";color:#555;font-weight:400}
}
`;
const SCRIPT = `
const $ = (id) => document.getElementById(id);
const cell = (label, text, cls) => {
  const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls;
  if (label) td.dataset.label = label; // shown before the value when the rows stack on a phone
  return td;
};
async function loadMessages() {
  $('loading').textContent = 'Loading…';
  const reply = await fetch('/dev-sms/messages?limit=200');
  const { messages } = await reply.json();
  const rows = $('messages'); rows.replaceChildren();
  for (const m of messages) {
    const tr = document.createElement('tr');
    tr.append(cell('', new Date(m.sendAt).toLocaleString(), 'when'), cell('to', m.to), cell('purpose', m.purpose),
      cell('status', m.status + (m.error ? ' (' + m.error + ')' : ''), 'status'), cell('', m.body, 'body'));
    rows.append(tr);
  }
  $('loading').textContent = messages.length ? '' : 'No messages yet: book a visit (with a phone number) or text the system.';
}
function showConversation(conversation) {
  const box = $('conversation'); box.replaceChildren();
  for (const entry of conversation) {
    const p = document.createElement('p'); p.className = 'msg ' + (entry.direction === 'in' ? 'in' : 'out');
    p.textContent = entry.body; box.append(p);
  }
}
async function answer(reply) {
  const body = await reply.json();
  if (!reply.ok) { $('error').textContent = body.error ? body.error.message : 'Something went wrong.'; return; }
  $('error').textContent = ''; showConversation(body.conversation); loadMessages();
}
$('send').addEventListener('submit', async (e) => {
  e.preventDefault();
  await answer(await fetch('/dev-sms/send', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: $('from').value, body: $('text').value }) }));
});
$('show').addEventListener('click', async () => answer(await fetch('/dev-sms/phone?number=' + encodeURIComponent($('from').value))));
$('refresh').addEventListener('click', loadMessages);
loadMessages();
`;

/** The page's policy: its own inline style and script, by hash, and nothing else inline. */
export const SMS_PAGE_CSP = pageCsp({ styles: [STYLE], scripts: [SCRIPT] });

/** The local SMS outbox and phone: what would have been sent, and a phone to text the system with. */
export const SMS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SMS outbox (local)</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style></head><body>
<h1>SMS outbox</h1>
<p>Every text message the system would send, newest first, with its status (in the cloud they go through Twilio).
Messages wait for their time: nothing is sent between 21:00 and 08:00 local time, reminders go the day before a visit.</p>
<section class="phone" aria-labelledby="phone-title">
<h2 id="phone-title">A phone</h2>
<p>Text the system as someone would: <code>SZCZEPIENIE &lt;PESEL&gt; &lt;postal code&gt;</code>, then TAK or NIE.</p>
<form id="send">
<label>Your number <input id="from" name="from" value="+48 600 700 800" required autocomplete="tel"></label>
<label>Text <textarea id="text" name="body" rows="2" required>SZCZEPIENIE 46031464864 00-950</textarea></label>
<button type="submit">Send</button> <button type="button" id="show">Show conversation</button>
</form>
<p id="error" role="alert"></p>
<div id="conversation" aria-live="polite"></div>
</section>
<div class="heading-row"><h2>Messages</h2> <button type="button" id="refresh">Refresh</button></div>
<p id="loading">Loading…</p>
<table><thead><tr><th>send at</th><th>to</th><th>purpose</th><th>status</th><th>text</th></tr></thead><tbody id="messages"></tbody></table>
<script>${SCRIPT}</script>
</body></html>`;
