// Allmende's comment widget. Served as /widget.js with MESSAGES prepended by the server.
// Embed: <script src="https://allmende.example.org/widget.js" data-connection="<id>" async></script>
// Everything a visitor wrote is put on the page as text (textContent), never as markup.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src).origin;
  var connection = script.getAttribute('data-connection');
  var pageUrl = script.getAttribute('data-page') || (location.origin + location.pathname);
  var lang = (document.documentElement.lang || navigator.language || 'de').slice(0, 2).toLowerCase();
  var t = MESSAGES[lang] || MESSAGES.de;
  var api = base + '/api/v1/widget/' + encodeURIComponent(connection) + '/comments';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  var root = el('section', { 'class': 'allmende-comments', 'data-testid': 'allmende-comments', lang: t === MESSAGES.de ? 'de' : 'en' });
  root.appendChild(el('h2', {}, t.title));
  var list = el('ol', { 'class': 'allmende-list', 'data-testid': 'allmende-list' });
  var status = el('p', { 'class': 'allmende-status', 'data-testid': 'allmende-status', role: 'status' });
  var form = el('form', { 'class': 'allmende-form', 'data-testid': 'allmende-form' });
  var nameLabel = el('label', {}, t.name);
  var name = el('input', { name: 'name', required: '', maxlength: '100', 'data-testid': 'allmende-name' });
  nameLabel.appendChild(name);
  var textLabel = el('label', {}, t.text);
  var text = el('textarea', { name: 'text', required: '', maxlength: '5000', rows: '4', 'data-testid': 'allmende-text' });
  textLabel.appendChild(text);
  // A field people do not see: whatever fills it in is a bot.
  var trap = el('input', { name: 'website', tabindex: '-1', autocomplete: 'off', 'aria-hidden': 'true' });
  trap.style.position = 'absolute'; trap.style.left = '-10000px';
  var send = el('button', { type: 'submit', 'data-testid': 'allmende-send' }, t.send);
  form.appendChild(nameLabel); form.appendChild(textLabel); form.appendChild(trap); form.appendChild(send);
  root.appendChild(list); root.appendChild(form); root.appendChild(status);
  script.parentNode.insertBefore(root, script.nextSibling);

  function load() {
    fetch(api + '?page=' + encodeURIComponent(pageUrl)).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (body) {
      list.textContent = '';
      if (!body.comments.length) list.appendChild(el('li', { 'class': 'allmende-empty' }, t.empty));
      body.comments.forEach(function (c) {
        var li = el('li', { 'data-testid': 'allmende-comment' });
        li.appendChild(el('strong', {}, c.name));
        li.appendChild(el('time', { datetime: c.createdAt }, ' ' + new Date(c.createdAt).toLocaleString(lang)));
        li.appendChild(el('p', {}, c.text));
        list.appendChild(li);
      });
    }).catch(function () { status.textContent = t.loadFailed; });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    send.disabled = true;
    status.textContent = t.sending;
    fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ page: pageUrl, name: name.value, text: text.value, website: trap.value }),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      if (res.status === 202) {
        status.textContent = res.body.shown ? t.shown : t.held;
        text.value = '';
        if (res.body.shown) load();
      } else {
        status.textContent = res.status === 429 ? t.tooMany : t.failed;
      }
    }).catch(function () { status.textContent = t.failed; }).then(function () { send.disabled = false; });
  });

  load();
})();
