import { initAll } from "/static/govuk/govuk-frontend.min.js";
import "/static/js/lookup.js";

initAll();

// Ask before anything destructive: forms marked data-confirm need a second thought.
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
