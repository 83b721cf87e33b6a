// GOV.UK Frontend's "JavaScript is on" classes, set before the page is drawn so that
// components do not flash. A file rather than an inline script: the CSP allows no
// inline script (commissioning/settings.py).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
