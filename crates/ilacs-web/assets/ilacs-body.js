// Runs first in <body>, as GOV.UK Frontend expects, so styles for enhanced components
// apply before they render. Kept in a file so the content security policy can forbid
// inline scripts.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
