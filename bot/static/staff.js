/* Staff web: small progressive enhancements (everything works without JavaScript). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-target]")) return;
    var option = select.options[select.selectedIndex];
    var target = document.getElementById(select.getAttribute("data-target"));
    if (!option || !option.value || !target) return;
    var body = option.getAttribute("data-body") || "";
    target.value = target.value ? target.value.replace(/\s*$/, "") + "\n\n" + body : body;
    target.focus();
    select.selectedIndex = 0;
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
