// Switchboard dashboard: the little JavaScript it needs. htmx does the rest.
(function () {
  // Domain outcomes (400 invalid, 403 not allowed, 409 stale page or refused) are shown in place like any answer.
  htmx.config.responseHandling = [
    {code: "204", swap: false},
    {code: "[23]..", swap: true},
    {code: "(400|403|409)", swap: true, error: false},
    {code: "[45]..", swap: false, error: true}
  ];
  // Every htmx request carries the CSRF token in a header (forms also carry it as _csrf).
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    var header = document.querySelector('meta[name="csrf-header"]');
    if (token && header && token.content) {
      event.detail.headers[header.content] = token.content;
    }
  });
  // The rollback button stays disabled until the flag name is typed exactly (the server checks it too).
  function guardConfirm(root) {
    root.querySelectorAll("input[data-confirm-name]").forEach(function (input) {
      var button = input.form.querySelector("button[type=submit]");
      var sync = function () { button.disabled = input.value.trim() !== input.dataset.confirmName; };
      input.addEventListener("input", sync);
      sync();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { guardConfirm(document); });
  document.addEventListener("htmx:afterSwap", function (event) { guardConfirm(event.detail.elt.parentNode || document); });
})();
