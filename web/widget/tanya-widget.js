/*
 * TanyaBPJAMSOSTEK chat widget. Embed with one tag:
 *   <script src="https://<host>/widget/tanya-widget.js" data-server-url="https://<rasa-host>"
 *           data-default-language="id"></script>
 * or set window.TanyaWidgetConfig = {serverUrl, defaultLanguage, socketPath} before the tag.
 * Talks to Rasa's socket.io channel (session persistence on). Bot text is rendered as text nodes only;
 * links become clickable only for allow-listed agency domains, and the stored history masks personal
 * numbers: both rules live in widget/safety.js (unit-tested with Node).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script.src.replace(/widget\/tanya-widget\.js(\?.*)?$/, "");
  var userConfig = window.TanyaWidgetConfig || {};
  var config = {
    serverUrl: userConfig.serverUrl || script.getAttribute("data-server-url") || window.location.origin,
    defaultLanguage: userConfig.defaultLanguage || script.getAttribute("data-default-language") || "id",
    socketPath: userConfig.socketPath || script.getAttribute("data-socket-path") || "/socket.io"
  };
  var STORE = { session: "tanya.session", history: "tanya.history", language: "tanya.language", open: "tanya.open" };
  var MAX_HISTORY = 200;
  var TYPING_TIMEOUT_MS = 30000;

  var strings, safety, language, socket, sessionId, typingTimer;
  var el = {};

  function load(key, fallback) {
    try { var v = window.localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); }
    catch (e) { return fallback; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: no history */ }
  }
  function t(key) { return strings[language][key]; }
  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- safe text rendering -------------------------------------------------------------------
  function appendText(parent, text) {
    text.split("\n").forEach(function (line, index) {
      if (index > 0) parent.appendChild(document.createElement("br"));
      safety.links(line).forEach(function (part) {
        if (part.href) {
          parent.appendChild(make("a", { href: part.href, target: "_blank", rel: "noopener noreferrer" }, part.text));
          return;
        }
        safety.bold(part.text).forEach(function (piece) {  // still text nodes only: no HTML is parsed
          parent.appendChild(piece.bold ? make("strong", null, piece.text) : document.createTextNode(piece.text));
        });
      });
    });
  }

  // ---- messages --------------------------------------------------------------------------------
  function timeLabel(iso) {
    var date = new Date(iso);
    return ("0" + date.getHours()).slice(-2) + ":" + ("0" + date.getMinutes()).slice(-2);
  }

  function render(entry) {
    var wrapper = make("div", { "class": "tanya-msg " + entry.from });
    var who = make("span", { "class": "tanya-visually-hidden" }, (entry.from === "user" ? t("you") : t("bot")) + ": ");
    var bubble = make("div", { "class": "tanya-bubble" });
    bubble.appendChild(who);
    appendText(bubble, entry.text);
    wrapper.appendChild(bubble);
    wrapper.appendChild(make("time", { datetime: entry.time }, timeLabel(entry.time)));
    el.log.appendChild(wrapper);
    if (entry.buttons && entry.buttons.length && !entry.answered) renderQuickReplies(entry);
    el.log.scrollTop = el.log.scrollHeight;
  }

  function renderQuickReplies(entry) {
    var group = make("div", { "class": "tanya-quick", role: "group", "aria-label": t("quickReplies") });
    entry.buttons.forEach(function (button) {
      var node = make("button", { type: "button" }, button.title);
      node.addEventListener("click", function () {
        entry.answered = true;
        persistHistory();
        group.remove();
        send(button.payload, button.title);
      });
      group.appendChild(node);
    });
    el.log.appendChild(group);
  }

  var history = [];
  // The stored history never keeps a NIK (16 digits) or a phone number in clear: a shared phone or
  // computer must not reveal them. Last digits stay, as in the assistant's own summary.
  function persistHistory() {
    save(STORE.history, history.slice(-MAX_HISTORY).map(function (entry) {
      return { from: entry.from, text: safety.mask(entry.text), time: entry.time, buttons: entry.buttons,
        answered: entry.answered };
    }));
  }

  function clearHistory() {
    history = [];
    persistHistory();
    while (el.log.firstChild) el.log.removeChild(el.log.firstChild);
  }

  function addMessage(from, text, buttons) {
    // A new message answers any quick replies still on screen.
    history.forEach(function (entry) { entry.answered = true; });
    Array.prototype.forEach.call(el.log.querySelectorAll(".tanya-quick"), function (n) { n.remove(); });
    var entry = { from: from, text: String(text), time: new Date().toISOString(), buttons: buttons || [] };
    history.push(entry);
    persistHistory();
    render(entry);
  }

  function showTyping(on) {
    el.typing.textContent = on ? t("typing") : "";
    window.clearTimeout(typingTimer);
    if (on) typingTimer = window.setTimeout(function () { showTyping(false); }, TYPING_TIMEOUT_MS);
  }

  // ---- connection ------------------------------------------------------------------------------
  function setStatus(state) {
    el.status.setAttribute("data-state", state);
    el.status.textContent = t(state);
  }

  function connect() {
    sessionId = load(STORE.session, null);
    socket = window.io(config.serverUrl, { path: config.socketPath, transports: ["websocket", "polling"],
      reconnection: true, reconnectionDelay: 500, reconnectionDelayMax: 4000 });
    setStatus("connecting");
    socket.on("connect", function () { socket.emit("session_request", { session_id: sessionId }); });
    socket.on("session_confirm", function (id) {
      // The server issues session ids; a different one means the old conversation is not continued
      // (first visit, or an id the server no longer accepts): its history goes, and the greeting comes.
      var fresh = id !== sessionId;
      if (fresh && sessionId) clearHistory();
      sessionId = id;
      save(STORE.session, id);
      setStatus("connected");
      if (fresh && history.length === 0) send("/greet", null);
    });
    socket.on("disconnect", function () { setStatus("disconnected"); });
    socket.io.on("reconnect_attempt", function () { setStatus("disconnected"); });
    socket.on("bot_uttered", function (message) {
      showTyping(false);
      if (!message || typeof message.text !== "string") return;
      var buttons = (message.quick_replies || message.buttons || []).map(function (b) {
        return { title: String(b.title), payload: String(b.payload) };
      });
      addMessage("bot", message.text, buttons);
    });
  }

  function send(text, shown, metadata) {
    if (!text) return;
    if (shown !== null) addMessage("user", shown === undefined ? text : shown);
    showTyping(true);
    var payload = { message: text, session_id: sessionId, customData: metadata || {} };
    socket.emit("user_uttered", payload);
  }

  // ---- the panel -------------------------------------------------------------------------------
  function applyLanguage() {
    el.launcher.setAttribute("aria-label", t("launcher"));
    el.title.textContent = t("title");
    el.subtitle.textContent = t("subtitle");
    el.close.setAttribute("aria-label", t("close"));
    el.input.setAttribute("placeholder", t("input"));
    el.input.setAttribute("aria-label", t("input"));
    el.sendButton.textContent = t("send");
    el.human.textContent = t("human");
    el.log.setAttribute("aria-label", t("log"));
    el.langGroup.setAttribute("aria-label", t("language"));
    Array.prototype.forEach.call(el.langGroup.children, function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === language));
    });
    setStatus(el.status.getAttribute("data-state") || "connecting");
    document.documentElement.setAttribute("data-tanya-language", language);
  }

  function switchLanguage(next) {
    if (next === language) return;
    language = next;
    save(STORE.language, language);
    applyLanguage();
    // Tell the assistant too: it answers in this language from now on.
    // The entity travels in the payload itself: Rasa parses "/intent{...}" payloads without the NLU
    // pipeline, so metadata alone would not reach the language slot.
    send("/switch_language" + JSON.stringify({ language: language }), null, { switch_language: language });
  }

  function setOpen(open) {
    el.panel.hidden = !open;
    el.launcher.setAttribute("aria-expanded", String(open));
    save(STORE.open, open);
    if (open) {
      if (!socket) connect();
      el.input.focus();
    } else {
      el.launcher.focus();
    }
  }

  function chatIcon() {
    // Drawn, not an emoji: machines without an emoji font would show an empty box.
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("width", "28"); svg.setAttribute("height", "28");
    svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6a1.5 " +
      "1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z");
    svg.appendChild(path);
    return svg;
  }

  function build() {
    el.launcher = make("button", { type: "button", "class": "tanya-launcher", "aria-controls": "tanya-panel",
      "aria-expanded": "false" });
    el.launcher.appendChild(chatIcon());
    el.panel = make("section", { id: "tanya-panel", "class": "tanya-panel", role: "dialog",
      "aria-labelledby": "tanya-title" });
    el.panel.hidden = true;

    var header = make("div", { "class": "tanya-header" });
    var titles = make("div", { "class": "tanya-titles" });
    el.title = make("h2", { id: "tanya-title" });
    el.subtitle = make("div", { "class": "tanya-sub" });
    el.status = make("div", { "class": "tanya-status", role: "status", "data-state": "connecting" });
    titles.appendChild(el.title); titles.appendChild(el.subtitle); titles.appendChild(el.status);
    el.langGroup = make("div", { "class": "tanya-lang", role: "group" });
    ["id", "en"].forEach(function (code) {
      var b = make("button", { type: "button", "data-lang": code, lang: code }, code.toUpperCase());
      b.addEventListener("click", function () { switchLanguage(code); });
      el.langGroup.appendChild(b);
    });
    el.close = make("button", { type: "button", "class": "tanya-icon-button" }, "✕");
    el.close.addEventListener("click", function () { setOpen(false); });
    header.appendChild(titles); header.appendChild(el.langGroup); header.appendChild(el.close);

    var toolbar = make("div", { "class": "tanya-toolbar" });
    el.human = make("button", { type: "button", "class": "tanya-human" });
    el.human.addEventListener("click", function () { send("/request_human", el.human.textContent); });
    toolbar.appendChild(el.human);

    el.log = make("div", { "class": "tanya-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      tabindex: "0" });
    el.typing = make("div", { "class": "tanya-typing", "aria-live": "polite" });

    var form = make("form", { "class": "tanya-form" });
    el.input = make("textarea", { rows: "1", maxlength: "1000" });
    el.sendButton = make("button", { type: "submit" });
    form.appendChild(el.input); form.appendChild(el.sendButton);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = el.input.value.trim();
      if (!text) return;
      el.input.value = "";
      send(text);
    });
    el.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    el.panel.addEventListener("keydown", function (event) { if (event.key === "Escape") setOpen(false); });
    el.launcher.addEventListener("click", function () { setOpen(el.panel.hidden); });

    el.panel.appendChild(header); el.panel.appendChild(toolbar); el.panel.appendChild(el.log);
    el.panel.appendChild(el.typing); el.panel.appendChild(form);
    document.body.appendChild(el.launcher);
    document.body.appendChild(el.panel);
  }

  function loadScript(src, done) {
    var node = document.createElement("script");
    node.src = src;
    node.onload = done;
    document.head.appendChild(node);
  }

  function start() {
    strings = window.TanyaWidgetStrings;
    safety = window.TanyaWidgetSafety;
    language = load(STORE.language, config.defaultLanguage) === "en" ? "en" : "id";
    var css = make("link", { rel: "stylesheet", href: base + "widget/tanya-widget.css" });
    document.head.appendChild(css);
    build();
    applyLanguage();
    history = load(STORE.history, []);
    history.forEach(render);
    if (load(STORE.open, false)) setOpen(true);
  }

  loadScript(base + "vendor/socket.io.min.js", function () {
    loadScript(base + "widget/i18n.js", function () {
      loadScript(base + "widget/safety.js", start);
    });
  });
})();
