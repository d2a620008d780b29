// Nachtlicht console: refresh the transcript of an open case, print button. No dependencies.
(function () {
  "use strict";
  var box = document.getElementById("transcript");
  if (box && box.dataset.refresh) {
    setInterval(function () {
      fetch(box.dataset.refresh, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) {
          if (r.redirected) { window.location.reload(); return null; }  // session expired: show login
          return r.ok ? r.text() : null;
        })
        .then(function (html) { if (html !== null) { box.innerHTML = html; } })  // server-rendered, escaped HTML
        .catch(function () {});
    }, 5000);
  }
  var printButton = document.getElementById("print-button");
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
})();
