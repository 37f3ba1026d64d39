/* Staff web: small progressive enhancements (everything works without JavaScript). */
(function () {
  "use strict";
  // 插入 puts the chosen canned answer into the reply box (without JavaScript its form reloads the page
  // with the answer filled in). The select itself does nothing on change, so arrow keys can browse.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-insert]");
    if (!button) return;
    var select = document.getElementById(button.getAttribute("data-insert"));
    var target = document.getElementById(button.getAttribute("data-target"));
    var option = select && select.options[select.selectedIndex];
    if (!option || !target) return;
    event.preventDefault();
    var body = option.getAttribute("data-body") || "";
    target.value = target.value ? target.value.replace(/\s*$/, "") + "\n\n" + body : body;
    target.focus();
    target.setSelectionRange(target.value.length, target.value.length);
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
