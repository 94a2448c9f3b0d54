/* Recipe editor: remember which percentage was typed last, so the server keeps that line and
   scales the others to keep the total at 100 %. htmx posts the form on every change. */
document.addEventListener("input", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-editor-percent]") && field.form && field.form.elements.changed) {
    field.form.elements.changed.value = field.dataset.editorPercent;
  }
});
