/* Nachtlicht chat page. Vanilla JS, no dependencies, talks only to the JSON chat API
 * (docs/contracts.md). Message text is always rendered with textContent, never innerHTML. */
(function () {
  "use strict";

  var body = document.body;
  var API = body.getAttribute("data-api") || "/chat/api";
  var MAX = parseInt(body.getAttribute("data-max-chars"), 10) || 2000;
  var EXIT_URL = body.getAttribute("data-exit-url") || "https://www.google.com/search?q=weer";
  var STORE_KEY = "nachtlicht.chat";
  var POLL_MS = 2500;
  var PENDING_TTL_MS = 60000;

  // Texts come from texts/web.yml (section "page"), put into the page by bot/web/chat/page.py.
  var TEXT = JSON.parse(document.getElementById("page-texts").textContent);
  var fmt = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  };
  var tooLong = function (n) { return fmt(TEXT.too_long, {n: n, max: MAX}); };

  var $ = function (id) { return document.getElementById(id); };
  var chat = $("chat");
  var list = $("messages");
  var typing = $("typing");
  var form = $("send-form");
  var input = $("message");
  var sendBtn = $("send");
  var notice = $("notice");
  var counter = $("counter");
  var count = $("count");
  var who = $("who");
  var codeLine = $("code-line");
  var codeEl = $("code");
  var starters = $("starters");
  var resumeDetails = $("resume");
  var resumeForm = $("resume-form");
  var resumeInput = $("resume-code");
  var resumeError = $("resume-error");
  var quickExitLink = $("quick-exit");

  var state = {
    cid: null,
    code: null,
    lastId: 0,
    seen: Object.create(null),
    pending: [],
    sending: false,
    polling: false,
    pollTimer: null,
    pollDelay: POLL_MS,
    handledBy: "bot",
    lastSender: null,
    exiting: false,
    generation: 0
  };

  /* ---------------- quick exit ---------------- */

  function quickExit(ev) {
    if (ev) { ev.preventDefault(); }
    state.exiting = true;
    clearTimeout(state.pollTimer);
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    document.documentElement.className += " exiting";
    try { document.title = "…"; } catch (e) { /* ignore */ }
    window.location.replace(EXIT_URL);
  }

  quickExitLink.addEventListener("click", quickExit);

  var escPresses = [];
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" && ev.key !== "Esc") { return; }
    var now = Date.now();
    escPresses = escPresses.filter(function (t) { return now - t < 2000; });
    escPresses.push(now);
    if (escPresses.length >= 3) { quickExit(ev); }
  });

  /* ---------------- storage ---------------- */

  function saveSession() {
    try {
      if (state.cid) {
        window.sessionStorage.setItem(STORE_KEY, JSON.stringify({ cid: state.cid, code: state.code }));
      } else {
        window.sessionStorage.removeItem(STORE_KEY);
      }
    } catch (e) { /* private mode: the chat still works, it just won't survive a reload */ }
  }

  function loadSession() {
    try {
      var raw = window.sessionStorage.getItem(STORE_KEY);
      if (!raw) { return null; }
      var data = JSON.parse(raw);
      if (data && validCid(data.cid)) { return data; }
    } catch (e) { /* ignore */ }
    return null;
  }

  function validCid(cid) {
    return typeof cid === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(cid);
  }

  /* ---------------- API ---------------- */

  function ApiError(status, code, message, data) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.data = data || null;
  }

  function fallbackMessage(status) {
    if (status === 0) { return TEXT.network; }
    if (status === 413) { return tooLong(MAX + 1); }
    if (status === 429) { return TEXT.rate_limited; }
    if (status === 404) { return TEXT.gone; }
    if (status >= 500) { return TEXT.unavailable; }
    return TEXT.failed;
  }

  function api(method, path, payload) {
    var opts = { method: method, credentials: "same-origin", cache: "no-store", headers: {} };
    if (payload !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(payload);
    }
    return fetch(API + path, opts).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (data) {
        if (!resp.ok) {
          var msg = data && typeof data.message === "string" && data.message.trim() ? data.message : fallbackMessage(resp.status);
          throw new ApiError(resp.status, (data && data.error) || "http_" + resp.status, msg, data);
        }
        return data || {};
      });
    }, function () {
      throw new ApiError(0, "network", TEXT.network);
    });
  }

  function convPath(suffix) {
    return "/conversations/" + encodeURIComponent(state.cid) + suffix;
  }

  /* ---------------- notices ---------------- */

  function showNotice(text, info) {
    notice.textContent = text;
    notice.className = info ? "notice is-info" : "notice";
    notice.hidden = false;
  }

  function hideNotice() {
    notice.hidden = true;
    notice.textContent = "";
    notice.setAttribute("data-kind", "");
  }

  /* Messages waiting while Nachtlicht restarts: a calm notice (with 112/113) until answered. */
  function setPending(count) {
    var waiting = typeof count === "number" && count > 0;
    if (waiting) {
      showNotice(TEXT.restarting, true);
      notice.setAttribute("data-kind", "restart");
    } else if (!notice.hidden && notice.getAttribute("data-kind") === "restart") {
      hideNotice();
    }
  }

  /* ---------------- rendering ---------------- */

  var ICON_HUMAN = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-4 0-7 2-7 4.5V20h14v-1.5C19 16 16 14 12 14z";
  var ICON_BOT = "M12 3a1 1 0 0 1 1 1v1h4a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3V8a3 3 0 0 1 3-3h4V4a1 1 0 0 1 1-1zM9 10.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z";

  function svgIcon(d) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function formatTime(iso) {
    if (typeof iso !== "string" || !iso) { return ""; }
    var s = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso + "Z";
    var d = new Date(s);
    if (isNaN(d.getTime())) { return ""; }
    var hh = String(d.getHours()).padStart(2, "0");
    var mm = String(d.getMinutes()).padStart(2, "0");
    return hh + ":" + mm;
  }

  function senderOf(msg) {
    var s = msg && msg.sender;
    return s === "user" || s === "bot" || s === "counsellor" || s === "system" ? s : "system";
  }

  function labelFor(sender) {
    return TEXT["label_" + sender];
  }

  function renderMessage(msg, pending) {
    var sender = senderOf(msg);
    var li = document.createElement("li");
    li.className = "msg msg--" + sender;
    if (typeof msg.id === "number") { li.setAttribute("data-id", String(msg.id)); }
    li.setAttribute("data-sender", sender);
    if (pending) { li.classList.add("is-pending"); }

    var groupStart = sender !== state.lastSender;
    if (groupStart) { li.classList.add("is-group-start"); }
    state.lastSender = sender;

    var label = document.createElement("span");
    label.className = "msg__label";
    if (sender === "counsellor") { label.appendChild(svgIcon(ICON_HUMAN)); }
    if (sender === "bot") { label.appendChild(svgIcon(ICON_BOT)); }
    label.appendChild(document.createTextNode(labelFor(sender)));
    var spoken = document.createElement("span");
    spoken.className = "sr-only";
    spoken.textContent = ": ";
    label.appendChild(spoken);
    if (!groupStart || sender === "user" || sender === "system") { label.classList.add("sr-only"); }
    li.appendChild(label);

    var text = typeof msg.text === "string" ? msg.text : "";
    if (text) {
      var bubble = document.createElement("div");
      bubble.className = "bubble";
      bubble.textContent = text;
      li.appendChild(bubble);
    }

    var time = formatTime(msg.created_at);
    if (time && sender !== "system") {
      var meta = document.createElement("span");
      meta.className = "msg__meta";
      meta.textContent = time;
      li.appendChild(meta);
    }
    var buttons = Array.isArray(msg.buttons) ? msg.buttons : [];
    if (buttons.length && sender !== "user") {
      var group = document.createElement("div");
      group.className = "choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Kies een antwoord");
      buttons.forEach(function (b) {
        if (!b || typeof b.title !== "string" || !b.title) { return; }
        var btn = document.createElement("button");
        btn.type = "button";
        btn.className = "chip";
        btn.textContent = b.title;
        btn.setAttribute("data-payload", typeof b.payload === "string" ? b.payload : "");
        group.appendChild(btn);
      });
      if (group.childNodes.length) { li.appendChild(group); }
    }

    return li;
  }

  function retireChoices(chosen) {
    var chips = list.querySelectorAll(".choices .chip:not([disabled])");
    for (var i = 0; i < chips.length; i++) {
      chips[i].disabled = true;
      if (chips[i] === chosen) { chips[i].classList.add("is-chosen"); }
    }
    if (starters) { starters.hidden = true; }
  }

  function nearBottom() {
    return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 140;
  }

  function scrollToBottom() {
    chat.scrollTop = chat.scrollHeight;
  }

  /* Show newly arrived replies from their start, so a long answer is read from the top. */
  function revealFrom(el) {
    var top = el.offsetTop - 12;
    var bottom = chat.scrollHeight - chat.clientHeight;
    chat.scrollTop = Math.min(top, bottom);
  }

  function appendMessage(li) {
    list.appendChild(li);
    if (li.getAttribute("data-sender") === "user") { retireChoices(null); }
  }

  function takePending(text) {
    var now = Date.now();
    state.pending = state.pending.filter(function (p) { return now - p.t < PENDING_TTL_MS; });
    for (var i = 0; i < state.pending.length; i++) {
      if (state.pending[i].text === text) {
        return state.pending.splice(i, 1)[0];
      }
    }
    return null;
  }

  /* Add server messages (deduplicated by id); returns the first newly shown element. */
  function ingest(messages, handledBy) {
    if (handledBy) { setHandledBy(handledBy); }
    if (!Array.isArray(messages)) { return null; }
    var first = null;
    messages.slice().sort(function (a, b) { return (a && a.id) - (b && b.id); }).forEach(function (msg) {
      if (!msg || typeof msg.id !== "number" || state.seen[msg.id]) { return; }
      state.seen[msg.id] = true;
      if (msg.id > state.lastId) { state.lastId = msg.id; }
      if (senderOf(msg) === "user") {
        var p = takePending(msg.text);
        if (p) {
          p.el.setAttribute("data-id", String(msg.id));
          p.el.classList.remove("is-pending");
          return;
        }
      }
      var li = renderMessage(msg, false);
      appendMessage(li);
      if (!first) { first = li; }
    });
    return first;
  }

  /* The API may echo the stored user message; then we know its id and never show it twice. */
  function bindOwnMessage(entry, stored) {
    if (!stored || typeof stored.id !== "number") { return; }
    var idx = state.pending.indexOf(entry);
    if (idx < 0) { return; }              // a poll already matched it
    state.pending.splice(idx, 1);
    entry.el.setAttribute("data-id", String(stored.id));
    state.seen[stored.id] = true;
    if (stored.id > state.lastId) { state.lastId = stored.id; }
  }

  function addSystemNote(text) {
    var li = renderMessage({ sender: "system", text: text }, false);
    appendMessage(li);
    scrollToBottom();
  }

  function setHandledBy(value) {
    state.handledBy = value === "counsellor" ? "counsellor" : "bot";
    var human = state.handledBy === "counsellor";
    who.textContent = human ? TEXT.who_human : TEXT.who_bot;
    who.classList.toggle("is-human", human);
  }

  function showTyping(on) {
    typing.hidden = !on;
    if (on) { scrollToBottom(); }
  }

  function setConversation(cid, code) {
    state.cid = cid;
    state.code = code || null;
    saveSession();
    if (state.code) {
      codeEl.textContent = state.code;
      codeLine.hidden = false;
    } else {
      codeLine.hidden = true;
    }
  }

  function resetConversation() {
    state.generation += 1;
    clearTimeout(state.pollTimer);
    state.cid = null;
    state.code = null;
    state.lastId = 0;
    state.seen = Object.create(null);
    state.pending = [];
    state.lastSender = null;
    saveSession();
    codeLine.hidden = true;
    codeEl.textContent = "";
    setHandledBy("bot");
    while (list.firstChild) { list.removeChild(list.firstChild); }
  }

  function conversationGone() {
    resetConversation();
    if (starters) { starters.hidden = false; }
    addSystemNote(TEXT.gone);
  }

  /* ---------------- polling ---------------- */

  function schedulePoll(delay) {
    clearTimeout(state.pollTimer);
    if (!state.cid || state.exiting) { return; }
    state.pollTimer = setTimeout(poll, delay === undefined ? state.pollDelay : delay);
  }

  function poll() {
    if (!state.cid || state.exiting || document.hidden) { return; }
    if (state.polling || state.sending) { schedulePoll(); return; }
    state.polling = true;
    var gen = state.generation;
    var wasNear = nearBottom();
    api("GET", convPath("/messages?after=" + state.lastId)).then(function (data) {
      if (gen !== state.generation) { return; }
      state.pollDelay = POLL_MS;
      var first = ingest(data.messages, data.handled_by);
      setPending(data.pending);
      if (first && wasNear) { revealFrom(first); }
    }, function (err) {
      if (gen !== state.generation) { return; }
      if (err.status === 404) { conversationGone(); return; }
      state.pollDelay = Math.min(state.pollDelay * 2, 30000);   // offline or busy: back off
    }).then(function () {
      state.polling = false;
      schedulePoll();
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { schedulePoll(0); }
  });

  function loadHistory() {
    var gen = state.generation;
    list.setAttribute("aria-busy", "true");
    return api("GET", convPath("/messages?after=0")).then(function (data) {
      if (gen !== state.generation) { return; }
      ingest(data.messages, data.handled_by);
      if (list.querySelector(".msg--user") && starters) { starters.hidden = true; }
      scrollToBottom();
    }, function (err) {
      if (gen !== state.generation) { return; }
      if (err.status === 404) { conversationGone(); } else { showNotice(err.message); }
    }).then(function () {
      list.removeAttribute("aria-busy");
      schedulePoll();
    });
  }

  /* ---------------- sending ---------------- */

  function charCount(text) {
    return Array.from(text).length; // code points, like the server
  }

  function updateCounter() {
    grow();
    var n = charCount(input.value);
    count.textContent = String(n);
    counter.hidden = n < MAX * 0.8;          // only shown when the limit comes near
    counter.classList.toggle("is-near", n >= MAX * 0.9 && n <= MAX);
    counter.classList.toggle("is-over", n > MAX);
    if (n > MAX) {
      input.setAttribute("aria-invalid", "true");
      sendBtn.setAttribute("aria-disabled", "true");
      showNotice(tooLong(n));
    } else {
      input.removeAttribute("aria-invalid");
      sendBtn.removeAttribute("aria-disabled");
      if (!notice.hidden && notice.getAttribute("data-kind") === "length") { hideNotice(); }
    }
    if (n > MAX) { notice.setAttribute("data-kind", "length"); }
  }

  function ensureConversation() {
    if (state.cid) { return Promise.resolve(); }
    return api("POST", "/conversations", {}).then(function (data) {
      if (!data || !validCid(data.conversation_id)) {
        throw new ApiError(502, "bad_response", TEXT.unavailable);
      }
      setConversation(data.conversation_id, data.code);
    });
  }

  function send(text, payload, chosenBtn, fromInput) {
    if (state.sending || state.exiting) { return Promise.resolve(false); }
    var clean = text.replace(/^\s+|\s+$/g, "");
    if (!clean) { showNotice(TEXT.empty); return Promise.resolve(false); }
    var n = charCount(clean);
    // Too long is refused by the server, not here: it still reads the text for signs of
    // suicidal thoughts and then answers with 113/112 (docs/safety.md). Only absurd sizes stop here.
    if (n > MAX * 25) { showNotice(tooLong(n)); return Promise.resolve(false); }

    state.sending = true;
    hideNotice();
    if (fromInput) { input.value = ""; updateCounter(); }

    var restore = function () {
      if (fromInput && !input.value) { input.value = text; updateCounter(); }
    };

    return ensureConversation().then(function () {
      var gen = state.generation;
      var li = renderMessage({ sender: "user", text: clean, created_at: new Date().toISOString() }, true);
      appendMessage(li);
      if (chosenBtn) { chosenBtn.classList.add("is-chosen"); }
      var entry = { text: clean, el: li, t: Date.now() };
      state.pending.push(entry);
      scrollToBottom();
      showTyping(state.handledBy !== "counsellor");

      var req = { text: clean };
      if (payload) { req.payload = payload; }
      return api("POST", convPath("/messages"), req).then(function (data) {
        if (gen !== state.generation) { return true; }
        li.classList.remove("is-pending");
        showTyping(false);
        state.pollDelay = POLL_MS;
        bindOwnMessage(entry, data.user_message);
        var first = ingest(data.messages, data.handled_by);
        setPending(data.pending);
        if (first) { revealFrom(first); } else { scrollToBottom(); }
        return true;
      }, function (err) {
        showTyping(false);
        if (gen !== state.generation) { return false; }
        if (err.status === 404) {
          conversationGone();
          restore();
          return false;
        }
        if (err.status >= 500) {
          // The server may have stored the message; keep it, mark it and explain.
          li.classList.remove("is-pending");
          showNotice(err.message);
          return false;
        }
        // Not accepted (too long, rate limited, offline, bad request): take it back.
        var idx = state.pending.indexOf(entry);
        if (idx >= 0) { state.pending.splice(idx, 1); }
        if (li.parentNode) { li.parentNode.removeChild(li); }
        state.lastSender = list.lastElementChild ? list.lastElementChild.getAttribute("data-sender") : null;
        restore();
        showNotice(err.message);
        // A refused message can still carry the safety message (113/112): always show it.
        if (err.data && err.data.messages) {
          var firstSafety = ingest(err.data.messages, err.data.handled_by || state.handledBy);
          if (firstSafety) { revealFrom(firstSafety); }
        }
        return false;
      });
    }, function (err) {
      restore();
      showNotice(err.message);
      return false;
    }).then(function (ok) {
      state.sending = false;
      schedulePoll();
      return ok;
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    send(input.value, null, null, true);
  });

  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      send(input.value, null, null, true);
    }
  });

  input.addEventListener("input", updateCounter);

  // Tapping "send" must not take the focus (and the phone's keyboard) away from the text box.
  sendBtn.addEventListener("mousedown", function (ev) {
    if (document.activeElement === input) { ev.preventDefault(); }
  });

  // Browsers without CSS field-sizing: let the box grow with its text (up to its max-height).
  var autoGrow = !(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"));
  function grow() {
    if (!autoGrow) { return; }
    input.style.height = "auto";
    input.style.height = input.scrollHeight + 2 + "px";
  }
  input.addEventListener("input", grow);

  list.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest(".choices .chip") : null;
    if (!btn || btn.disabled) { return; }
    var payload = btn.getAttribute("data-payload") || "";
    if (payload.charAt(0) === "/") {
      send(btn.textContent, payload, btn, false);       // an intent: the API passes it to Rasa as is
    } else {
      send(payload || btn.textContent, null, btn, false); // a text answer: Rasa would read it as text too
    }
  });

  if (starters) {
    starters.addEventListener("click", function (ev) {
      var btn = ev.target.closest ? ev.target.closest(".chip") : null;
      if (!btn) { return; }
      send(btn.getAttribute("data-text") || btn.textContent, null, null, false);
    });
  }

  /* ---------------- resume ---------------- */

  function normaliseCode(raw) {
    // 16 characters (XXXX-XXXX-XXXX-XXXX); codes of 8 from before 2026-12-03 still work
    var s = String(raw || "").toUpperCase().replace(/[^A-Z0-9]/g, "");
    if (s.length !== 8 && s.length !== 16) { return null; }
    return s.match(/.{4}/g).join("-");
  }

  function showResumeError(text) {
    resumeError.textContent = text;
    resumeError.hidden = false;
    resumeInput.setAttribute("aria-invalid", "true");
    resumeError.scrollIntoView({ block: "nearest" });
  }

  resumeDetails.addEventListener("toggle", function () {
    if (resumeDetails.open) { resumeForm.scrollIntoView({ block: "nearest" }); }
  });

  resumeForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    resumeError.hidden = true;
    var code = normaliseCode(resumeInput.value);
    if (!code) {
      resumeInput.focus();
      showResumeError(TEXT.code_format);
      return;
    }
    resumeInput.removeAttribute("aria-invalid");
    api("POST", "/resume", { code: code }).then(function (data) {
      if (!data || !validCid(data.conversation_id)) {
        throw new ApiError(502, "bad_response", TEXT.unavailable);
      }
      resetConversation();
      hideNotice();
      setConversation(data.conversation_id, data.code || code);
      resumeInput.value = "";
      resumeDetails.open = false;
      return loadHistory().then(function () {
        addSystemNote(TEXT.resumed);
        input.focus();
      });
    }).catch(function (err) {
      showResumeError(err.message || TEXT.code_unknown);
    });
  });

  /* ---------------- start ---------------- */

  updateCounter();
  var saved = loadSession();
  if (saved) {
    setConversation(saved.cid, saved.code);
    loadHistory();
  }
})();
