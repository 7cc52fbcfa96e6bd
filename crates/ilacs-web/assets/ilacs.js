// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/assets/govuk-frontend.min.js";
initAll();

// Uploads show their progress: a large Annex A workbook takes a while to send. Without
// JavaScript the form posts normally and the browser shows its own progress.
for (const form of document.querySelectorAll('form[data-module="ilacs-upload"]')) {
  form.addEventListener("submit", (event) => {
    const box = form.querySelector(".ilacs-upload-progress");
    if (!box || !window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    const bar = box.querySelector("progress");
    const status = box.querySelector("[aria-live]");
    const button = form.querySelector("button[type=submit]");
    box.hidden = false;
    button.disabled = true;
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      status.textContent = percent < 100 ? `${percent}% sent` : "Sent: checking and cleaning the lists";
    });
    request.addEventListener("load", () => {
      // Follow where the server sent us (the report), or show the page it returned
      // (the form with its errors).
      if (request.responseURL && request.responseURL !== form.action) {
        window.location.assign(request.responseURL);
      } else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener("error", () => {
      box.hidden = true;
      button.disabled = false;
      form.submit();
    });
    request.send(new FormData(form));
  });
}
