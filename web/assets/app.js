// yojin console: small enhancements only; every flow works without this file.
// On the diagnosis form, each answer is saved as soon as it is chosen.
(function () {
  "use strict";
  var form = document.getElementById("diagnosis");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var state = document.getElementById("save-state");
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  form.addEventListener("change", function (ev) {
    var input = ev.target;
    if (!input || input.type !== "radio") return;
    var body = new URLSearchParams();
    body.set("csrf", form.elements.csrf.value);
    body.set("department", form.elements.department.value);
    body.set(input.name, input.value);
    body.set("ajax", "1");
    fetch("/diagnosis", {method: "POST", body: body, credentials: "same-origin",
                         headers: {"Content-Type": "application/x-www-form-urlencoded"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (j) {
        var box = document.getElementById(input.name);
        if (box) box.classList.add("done");
        if (bar) bar.value = j.answered;
        if (text) text.textContent = j.answered + "/" + j.items;
        if (state) state.textContent = j.message;
      })
      .catch(function () { if (state) state.textContent = ""; });
  });
})();
