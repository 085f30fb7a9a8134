// Pre-screening questionnaire: move between steps without reloading the whole page.
// Only an enhancement: every step is a normal form that works with JavaScript off.
(function () {
  "use strict";

  function container(doc) {
    return doc.querySelector("[data-prescreen]");
  }

  function show(html, url, push) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var next = container(doc);
    var here = container(document);
    if (!next || !here) {
      window.location.assign(url);
      return;
    }
    here.replaceWith(document.adoptNode(next));
    // The language switcher points at the question now shown, not at the page first loaded.
    var switcher = doc.querySelector("nav.languages");
    var current = document.querySelector("nav.languages");
    if (switcher && current) { current.replaceWith(document.adoptNode(switcher)); }
    document.title = doc.title;
    if (push) {
      window.history.pushState({ prescreen: true }, "", url);
    }
    // Move focus to what changed, as a new page would, so screen readers read it.
    // An answer that already rules the study out is told first.
    var target = document.querySelector("[data-prescreen] [role=alert]") ||
      document.querySelector("[data-prescreen] .prescreen-early") ||
      document.querySelector("[data-prescreen] h1");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  function load(url, options, fallback) {
    options.credentials = "same-origin";
    options.headers = { Accept: "text/html" };
    fetch(url, options)
      .then(function (response) {
        var ok = response.ok || response.status === 400;
        return response.text().then(function (html) {
          if (!ok) { throw new Error(String(response.status)); }
          show(html, response.url, response.url !== window.location.href || options.method === "POST");
        });
      })
      .catch(fallback);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-prescreen-step]") || !window.fetch) { return; }
    event.preventDefault();
    var submitter = form.querySelector("button[type=submit]");
    if (submitter) { submitter.disabled = true; }
    load(form.action, { method: "POST", body: new FormData(form) }, function () {
      form.submit();
    });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-prescreen-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || !window.fetch) { return; }
    event.preventDefault();
    load(link.href, { method: "GET" }, function () { window.location.assign(link.href); });
  });

  window.history.replaceState({ prescreen: true }, "", window.location.href);
  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.prescreen) { window.location.reload(); }
  });
}());
