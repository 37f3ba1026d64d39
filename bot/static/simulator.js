// The simulator page: sends what the citizen does to /simulator/api/send (which signs it and posts to the
// real /callback) and renders what the bot sent through the fake LINE API, in order.
(function () {
  "use strict";
  const chat = document.getElementById("chat");
  const quick = document.getElementById("quick");
  const userSelect = document.getElementById("user");
  const input = document.getElementById("text");
  const extrasMenu = document.getElementById("extras-menu");
  // OFFICES_FILE only: the channel chosen (absent: the one default channel) and the citizen's office.
  const channelSelect = document.getElementById("channel");
  const officeLabel = document.getElementById("office");
  const switchOffice = document.getElementById("switch-office");
  const state = { users: JSON.parse(localStorage.getItem("sim-users") || "[]"), last: {}, log: {} };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) {
      node.textContent = text;
      if (isEnglish(text)) node.lang = "en";  // a screen reader then reads it with an English voice
    }
    return node;
  }

  // The bot writes in one language per message: Latin letters and no Han characters means English.
  function isEnglish(text) {
    return /[A-Za-z]{2}/.test(text) && !/[\u3400-\u9fff\uf900-\ufaff]/.test(text);
  }

  // Only the latest answer's buttons act, as a citizen expects: older ones are disabled (and out of the Tab
  // order), so a keyboard reaches the new choices and the input at once.
  function retireOldButtons() {
    chat.querySelectorAll(".row.bot button:not([disabled]), .row.bot input").forEach(node => {
      node.disabled = true;
    });
  }

  function focusInput() { input.focus({ preventScroll: true }); }

  function newUserId() {
    const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, "0")).join("");
    return "U" + hex;
  }

  function saveUsers() { localStorage.setItem("sim-users", JSON.stringify(state.users)); }

  function currentUser() { return userSelect.value; }

  function currentChannel() { return channelSelect ? channelSelect.value : ""; }

  // Each channel is its own chat with its own bot, as in LINE: history and position are kept per pair.
  function chatKey() { return currentUser() + "|" + currentChannel(); }

  function refreshUserList(selected) {
    userSelect.innerHTML = "";
    state.users.forEach((id, i) => {
      const opt = el("option", null, "市民 " + (i + 1) + " (" + id.slice(-4) + ")");
      opt.value = id;
      userSelect.appendChild(opt);
    });
    if (selected) userSelect.value = selected;
  }

  async function addUser() {
    const id = newUserId();
    state.users.push(id);
    saveUsers();
    refreshUserList(id);
    switchUser();
    await send({ type: "follow" }, "（加入好友 followed）");
  }

  function switchUser() {
    chat.innerHTML = "";
    quick.innerHTML = "";
    (state.log[chatKey()] || []).forEach(item => item.mine ? showMine(item.label, false) : render(item.d, false));
    retireOldButtons();  // a replayed conversation is history: its buttons stay disabled
    return poll();
  }

  // A channel this citizen never wrote to starts as LINE's would: they add its bot as a friend.
  async function switchChannel() {
    await switchUser();
    if (!state.last[chatKey()]) await send({ type: "follow" }, "（加入好友 followed）");
  }

  function remember(item) {
    const k = chatKey();
    (state.log[k] = state.log[k] || []).push(item);
  }

  function showMine(label, store = true) {
    const row = el("div", "row me");
    row.appendChild(el("div", "bubble-text", label));
    chat.appendChild(row);
    chat.scrollTop = chat.scrollHeight;
    if (store) remember({ mine: true, label });
  }

  async function send(payload, label) {
    if (label) showMine(label);
    // Keep the keyboard in the composer: the tapped button is about to disappear with its quick replies.
    focusInput();
    quick.innerHTML = "";
    payload.user = currentUser();
    if (channelSelect) payload.channel = currentChannel();
    await fetch("/simulator/api/send", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
    });
    await poll();
  }

  function act(action) {
    if (!action) return;
    if (action.type === "message") send({ type: "text", text: action.text }, action.text);
    else if (action.type === "postback") send({ type: "postback", data: action.data }, action.displayText || null);
    else if (action.type === "uri") window.open(action.uri, "_blank", "noopener");
  }

  function actionButton(action, cls) {
    if (action.type === "datetimepicker") return picker(action);
    const b = el("button", cls || null, action.label || "");
    b.type = "button";
    b.addEventListener("click", () => act(action));
    return b;
  }

  function picker(action) {
    const wrap = el("div", "picker");
    const field = el("input");
    field.type = action.mode === "time" ? "time" : action.mode === "datetime" ? "datetime-local" : "date";
    field.setAttribute("aria-label", action.label);
    if (action.min) field.min = action.min;
    if (action.max) field.max = action.max;
    if (action.initial) field.value = action.initial;
    const b = el("button", null, action.label);
    b.type = "button";
    b.addEventListener("click", () => {
      if (!field.value) { field.focus(); return; }
      const key = action.mode === "time" ? "time" : action.mode === "datetime" ? "datetime" : "date";
      send({ type: "postback", data: action.data, params: { [key]: field.value } }, field.value);
    });
    wrap.append(field, b);
    return wrap;
  }

  function flexNode(node) {
    if (!node) return el("span");
    if (node.type === "box") {
      const box = el("div");
      box.style.display = "flex";
      box.style.flexDirection = node.layout === "horizontal" || node.layout === "baseline" ? "row" : "column";
      box.style.gap = ".3rem";
      if (node.backgroundColor) box.style.background = node.backgroundColor;
      (node.contents || []).forEach(child => box.appendChild(flexNode(child)));
      return box;
    }
    if (node.type === "text") {
      const t = el("div", "t", node.text || "");
      if (node.weight === "bold") t.style.fontWeight = "bold";
      if (node.color) t.style.color = node.color;
      if (node.size === "lg" || node.size === "xl") t.style.fontSize = "1.1rem";
      if (node.size === "sm" || node.size === "xs") t.style.fontSize = ".9rem";
      if (node.flex !== undefined) t.style.flex = node.flex;
      return t;
    }
    if (node.type === "button") {
      const button = actionButton(node.action, node.style === "primary" ? "primary" : null);
      // As LINE draws it: a solid button in the colour the bot chose, its label in white.
      if (node.style === "primary" && node.color && button.tagName === "BUTTON") {
        button.style.background = node.color;
        button.style.borderColor = node.color;
      }
      return button;
    }
    if (node.type === "image") { const img = el("img"); img.src = node.url; img.alt = ""; img.style.maxWidth = "100%"; return img; }
    if (node.type === "separator") return el("hr");
    return el("span");
  }

  function bubble(b) {
    const card = el("div", "card");
    if (b.hero && b.hero.url) { const img = el("img"); img.src = b.hero.url; img.alt = ""; img.style.width = "100%"; card.appendChild(img); }
    [["header", "hdr"], ["body", "bdy"], ["footer", "ftr"]].forEach(([part, cls]) => {
      if (!b[part]) return;
      const section = el("div", cls);
      if (b[part].backgroundColor) section.style.background = b[part].backgroundColor;
      section.appendChild(flexNode(b[part]));
      card.appendChild(section);
    });
    return card;
  }

  function render(d, store = true) {
    const msg = d.message;
    const row = el("div", "row bot");
    let body;
    if (msg.type === "text") body = el("div", "bubble-text", msg.text);
    else if (msg.type === "flex") {
      const c = msg.contents;
      body = c.type === "carousel" ? el("div", "carousel") : bubble(c);
      if (c.type === "carousel") c.contents.forEach(b => body.appendChild(bubble(b)));
    } else if (msg.type === "template") {
      const tpl = msg.template;
      body = el("div", "tmpl");
      if (tpl.title) body.appendChild(el("div", "title", tpl.title));
      body.appendChild(el("div", "t", tpl.text || ""));
      (tpl.actions || []).forEach(a => body.appendChild(actionButton(a)));
    } else if (msg.type === "location") {
      body = el("div", "loc");
      body.appendChild(el("div", "title", "📍 " + msg.title));
      body.appendChild(el("div", null, msg.address));
      const a = el("a", null, "地圖 Map");
      a.href = "https://www.google.com/maps?q=" + msg.latitude + "," + msg.longitude;
      a.target = "_blank";
      body.appendChild(a);
    } else body = el("div", "bubble-text", msg.altText || "[" + msg.type + "]");
    body.dataset.type = msg.type;
    row.appendChild(body);
    if (d.via === "push") row.appendChild(el("span", "push-tag", "推播 push"));
    chat.appendChild(row);
    chat.scrollTop = chat.scrollHeight;
    quick.innerHTML = "";
    if (msg.quickReply) msg.quickReply.items.forEach(item => quick.appendChild(actionButton(item.action)));
    if (store) remember({ mine: false, d });
  }

  // One poll at a time; one asked for meanwhile runs once after it, so `await poll()` always means "after a
  // poll that started after this call" (switchChannel relies on it to know whether a chat is empty).
  let inflight = Promise.resolve();
  let queued = null;
  function poll() {
    if (!queued) {
      queued = inflight.catch(() => {}).then(() => { queued = null; return pollOnce(); });
      inflight = queued;
    }
    return queued;
  }

  async function pollOnce() {
    const user = currentUser();
    if (!user) return;
    const key = chatKey();
    const after = state.last[key] || 0;
    let url = "/simulator/api/messages?user=" + encodeURIComponent(user) + "&after=" + after;
    if (channelSelect) url += "&channel=" + encodeURIComponent(currentChannel());
    const res = await fetch(url);
    const data = await res.json();
    if (key === chatKey() && data.messages.length) {
      retireOldButtons();
      data.messages.forEach(d => render(d));
    }
    if (key === chatKey() && data.office && officeLabel) showOffice(data.office);
    state.last[key] = data.last;
  }

  function showOffice(office) {
    officeLabel.textContent = office.zh;
    officeLabel.title = office.en;
    switchOffice.hidden = !office.can_switch;
  }

  document.getElementById("composer").addEventListener("submit", e => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    send({ type: "text", text }, text);
  });
  document.getElementById("new-user").addEventListener("click", addUser);
  document.getElementById("tick").addEventListener("click", async () => {
    await fetch("/simulator/api/tick", { method: "POST" });
    await poll();
  });
  const extras = document.getElementById("extras");
  function setExtras(open) {
    extrasMenu.hidden = !open;
    extras.setAttribute("aria-expanded", String(open));
    if (open) extrasMenu.querySelector("button").focus();
  }
  extras.addEventListener("click", () => setExtras(extrasMenu.hidden));
  extrasMenu.querySelectorAll("button").forEach(b => b.addEventListener("click", () => {
    setExtras(false);
    send({ type: b.dataset.kind }, "（" + b.textContent + "）");
  }));
  document.addEventListener("keydown", e => {
    if (e.key === "Escape" && !extrasMenu.hidden) {
      setExtras(false);
      extras.focus();
    }
  });
  userSelect.addEventListener("change", switchUser);
  if (channelSelect) channelSelect.addEventListener("change", switchChannel);
  // The bot's own words for it: on a shared channel 切換戶所 asks for the office again.
  if (switchOffice) switchOffice.addEventListener("click", () => send({ type: "text", text: "切換戶所" }, "切換戶所"));
  // What the rich menu panel (simulator-richmenu.js) needs: send a tap as the citizen, know who they are.
  window.simulator = { send, currentUser };

  if (state.users.length === 0) addUser(); else { refreshUserList(state.users[0]); switchUser(); }
  setInterval(poll, 1500);
})();
