/* CineScent's small behaviours, wired by data attributes (the Content-Security-Policy allows no
   inline event handlers). Listeners sit on the document, so content htmx swaps in works too.
   - <form data-confirm="Question?">: asks before submitting.
   - <select data-autosubmit>: submits its form when changed. */
document.addEventListener("submit", function (event) {
  var question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
