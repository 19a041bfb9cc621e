// The signup page's script: the t.me link and its QR code follow the form
// as it changes, so that a reader on a computer can scan it; the button
// then opens the link at once. Without this script the form posts and the
// server answers with the same link.
(function () {
  "use strict";
  var form = document.getElementById("signup");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  document.documentElement.classList.add("js");
  var link = document.getElementById("tg-link");
  var img = document.getElementById("qr-img");
  var status = document.getElementById("link-status");
  var token = "", timer = 0, seq = 0, current = link ? link.href : "";
  form.dataset.state = current ? "ready" : "pending";

  function update() {
    var body = new URLSearchParams(new FormData(form));
    if (token) body.set("token", token);
    var n = ++seq;
    fetch(form.dataset.link, { method: "POST", body: body, credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (n !== seq) return;
        if (j.error) { status.textContent = j.error; form.dataset.state = "failed"; return; }
        status.textContent = "";
        if (j.token) token = j.token;
        current = j.link;
        if (link) link.href = j.link;
        if (img && j.qr) img.src = j.qr;
        form.dataset.state = "ready";
      })
      .catch(function () { if (n === seq) form.dataset.state = "failed"; });
  }

  form.addEventListener("change", function () {
    form.dataset.state = "pending";
    clearTimeout(timer);
    timer = setTimeout(update, 250);
  });
  form.addEventListener("submit", function (e) {
    // A link that matches the form opens at once; otherwise the form posts.
    if (form.dataset.state === "ready" && current) {
      e.preventDefault();
      if (form.target === "_blank") window.open(current, "_blank", "noopener");
      else window.location.href = current;
    }
  });
})();
