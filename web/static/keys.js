// Keyboard navigation, on top of pages that work without it:
// "/" focuses the search box; j and k move through the hits; Enter opens
// the current one.
(function () {
  "use strict";
  var current = -1;
  function hits() { return document.querySelectorAll(".hit"); }
  function select(i) {
    var list = hits();
    if (list.length === 0) { return; }
    i = Math.max(0, Math.min(list.length - 1, i));
    if (current >= 0 && list[current]) { list[current].classList.remove("current"); }
    current = i;
    list[i].classList.add("current");
    list[i].querySelector("a").focus();
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) { return; }
    if (e.key === "/") {
      e.preventDefault();
      var q = document.getElementById("q");
      q.focus();
      q.select();
    } else if (e.key === "j") {
      select(current + 1);
    } else if (e.key === "k") {
      select(current - 1);
    }
  });
})();
