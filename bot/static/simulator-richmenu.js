// The rich menu under the chat, as LINE shows it: the picture the bot uploaded to the (fake) LINE API,
// one button per area over it, each tap sent through the real signed webhook; the bar opens and closes it.
(function () {
  "use strict";
  const section = document.getElementById("richmenu");
  const panel = document.getElementById("richmenu-panel");
  const image = document.getElementById("richmenu-image");
  const areas = document.getElementById("richmenu-areas");
  const toggle = document.getElementById("richmenu-toggle");
  let shown = null;
  let chatBar = "";

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = chatBar + (open ? " ▾" : " ▴");
  }

  function draw(menu) {
    chatBar = menu.chatBarText;
    if (shown === menu.id) { setOpen(!panel.hidden); return; }
    shown = menu.id;
    image.src = menu.image;
    areas.innerHTML = "";
    menu.areas.forEach(area => {
      const b = document.createElement("button");
      const { x, y, width, height } = area.bounds;
      b.type = "button";
      // The picture shows the label; the button carries it as its name (no invisible text to contrast-check).
      b.setAttribute("aria-label", area.action.displayText || area.action.label || "");
      b.style.left = (100 * x / menu.size.width) + "%";
      b.style.top = (100 * y / menu.size.height) + "%";
      b.style.width = (100 * width / menu.size.width) + "%";
      b.style.height = (100 * height / menu.size.height) + "%";
      b.addEventListener("click", () => tap(area.action));
      areas.appendChild(b);
    });
    section.hidden = false;
    setOpen(!panel.hidden);
  }

  async function tap(action) {
    if (action.type === "postback") {
      await window.simulator.send({ type: "postback", data: action.data }, action.displayText || null);
    } else if (action.type === "message") {
      await window.simulator.send({ type: "text", text: action.text }, action.text);
    }
    refresh();
  }

  async function refresh() {
    const user = window.simulator.currentUser();
    if (!user) return;
    const res = await fetch("/simulator/api/richmenu?user=" + encodeURIComponent(user));
    const data = await res.json();
    if (data.menu) draw(data.menu); else section.hidden = true;
  }

  toggle.addEventListener("click", () => setOpen(panel.hidden));
  document.getElementById("user").addEventListener("change", refresh);
  // "English" or "中文", typed or tapped, moves the citizen to the other menu: look again whenever the bot
  // answers (the bot links the menu before its webhook call returns, so it is there by then).
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; refresh(); });
  }).observe(document.getElementById("chat"), { childList: true });
  refresh();
})();
