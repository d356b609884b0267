/* The story form: a live preview of the body, rendered by the site's own
   Markdown pipeline on the server, beside the field. */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
});
document.addEventListener("DOMContentLoaded", () => {
  const body = document.getElementById("id_body");
  const form = body && body.form;
  if (!form) return;
  const url = document.getElementById("markdown-preview-url")?.dataset.url;
  if (!url) return;

  const pane = document.createElement("section");
  pane.className = "markdown-preview";
  pane.setAttribute("aria-live", "polite");
  pane.setAttribute("aria-label", "Live preview");
  const heading = document.createElement("h3");
  heading.textContent = "Live preview";
  const output = document.createElement("div");
  output.className = "markdown-preview-body";
  pane.append(heading, output);
  body.closest(".form-row, .fieldBox, div").after(pane);
  const help = document.querySelector(".markdown-help");
  if (help) {
    help.open = false;
    pane.after(help);
  }

  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer = null;
  let latest = 0;
  const render = async () => {
    const ticket = ++latest;
    const data = new FormData();
    data.append("body", body.value);
    try {
      const response = await fetch(url, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
      });
      const json = await response.json();
      if (ticket !== latest) return; // an older answer arriving late
      output.innerHTML = json.html ?? "";
      if (json.error) output.textContent = json.error;
    } catch (error) {
      if (ticket === latest) output.textContent = "The preview is not available right now.";
    }
  };
  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
  render();
});
