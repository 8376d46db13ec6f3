// Editors' area: upload progress. Without JavaScript the forms post as usual.
"use strict";

function showError(form, message) {
  const box = form.querySelector("[data-upload-error]");
  box.textContent = message;
  box.hidden = false;
}

function uploadWithProgress(event) {
  const form = event.currentTarget;
  const file = form.querySelector("input[type=file]");
  if (!file || !file.files.length) return; // let the server say what is missing
  event.preventDefault();
  const progress = form.querySelector(".progress");
  const bar = progress.querySelector("progress");
  const text = progress.querySelector(".progress-text");
  const button = form.querySelector("[type=submit]");
  progress.hidden = false;
  button.disabled = true;
  form.querySelector("[data-upload-error]").hidden = true;

  const request = new XMLHttpRequest();
  request.open("POST", form.action || window.location.href);
  request.upload.addEventListener("progress", (e) => {
    if (!e.lengthComputable) return;
    const percent = Math.floor((e.loaded / e.total) * 100);
    bar.value = percent;
    bar.textContent = percent + "%";
    text.textContent = percent + "%";
  });
  request.upload.addEventListener("load", () => {
    bar.value = 100;
    text.textContent = "100% – het bestand wordt gecontroleerd…";
  });
  request.addEventListener("load", () => {
    button.disabled = false;
    if (request.status >= 200 && request.status < 300) {
      window.location.assign(request.responseURL);
      return;
    }
    const page = new DOMParser().parseFromString(request.responseText, "text/html");
    const message = page.querySelector(".error, .alert");
    showError(form, message ? message.textContent.trim() : "Het uploaden is niet gelukt (" + request.status + ").");
  });
  request.addEventListener("error", () => {
    button.disabled = false;
    showError(form, "De verbinding is verbroken. Probeer het opnieuw.");
  });
  request.send(new FormData(form));
}

document.querySelectorAll("form[data-upload-progress]").forEach((form) => {
  form.addEventListener("submit", uploadWithProgress);
});
