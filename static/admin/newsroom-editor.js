/* The story form: autosave and no lost work, who else is editing, the body
   editor with its live preview (the site's own pipeline and stylesheet), word
   count, search and share previews, tag suggestions, byline order and the
   season menu. Everything here is a help: the form works without it. */
"use strict";

const desk = () => document.getElementById("story-desk")?.dataset ?? null;
const csrf = (form) => form.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";

document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
});

/* Autosave, the warning on leaving, and who else has the story open. */
document.addEventListener("DOMContentLoaded", () => {
  const data = desk();
  const panel = document.getElementById("publish-panel");
  const form = panel?.closest("form");
  if (!data || !form || !data.autosaveUrl) return;
  const state = document.getElementById("autosave-state");
  const others = document.getElementById("also-editing");
  const AUTOSAVE_EVERY = 5000;
  const PING_EVERY = 15000;

  const snapshot = () => {
    const fields = new FormData(form);
    fields.delete("csrfmiddlewaretoken");
    return new URLSearchParams(fields).toString();
  };
  // What the server has: the page as loaded, unless the page is a save that was refused
  // (a stale save, a busy database, a mistake to fix), whose text was never saved.
  let saved = data.unsaved ? "" : snapshot();
  let autosaved = saved;
  let submitting = false;
  let lastPing = 0;
  // Earlier work waits to be recovered or thrown away: an autosave now would replace it.
  const paused = Boolean(data.offerPending);
  const release = () => {
    submitting = false;
  };
  window.addEventListener("pageshow", release); // back to this page after leaving it

  const say = (text) => {
    if (state) state.textContent = text;
  };
  const showOthers = (names) => {
    if (!others || !Array.isArray(names)) return;
    others.hidden = names.length === 0;
    if (names.length) {
      others.textContent = `${names.join(", ")} also ${names.length > 1 ? "have" : "has"} this story open. If they save first, your save is refused with your text kept, so you can compare.`;
    }
  };

  const send = async (kind) => {
    const fields = new FormData(form);
    fields.set("_autosave", kind);
    const response = await fetch(data.autosaveUrl, {
      method: "POST",
      body: fields,
      headers: { "X-CSRFToken": csrf(form) },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`autosave answered ${response.status}`);
    return response.json();
  };

  const tick = async () => {
    if (submitting) return;
    const now = snapshot();
    const due = now !== autosaved && !paused;
    if (paused && now !== saved) {
      say("Autosave waits until you recover or throw away the earlier work above.");
    }
    if (!due && Date.now() - lastPing < PING_EVERY) return;
    try {
      const answer = await send(due ? "save" : "ping");
      lastPing = Date.now();
      if (due) {
        autosaved = now;
        say(`Autosaved at ${answer.saved_at}: not on the site, and kept if this page closes. Save to keep it in the story.`);
      }
      showOthers(answer.also_editing);
    } catch (error) {
      if (due) say("Autosave is not reaching the desk right now. Your text is still here: save it by hand.");
    }
  };
  setInterval(tick, AUTOSAVE_EVERY);
  tick();

  form.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (submitting) {
      if (form.dataset.resubmitting === "1") {
        form.dataset.resubmitting = "";
        return;
      }
      event.preventDefault(); // pressed twice: the first press is on its way
      return;
    }
    if (button?.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (button?.hasAttribute("data-leaves-form") && !button.dataset.confirm && snapshot() !== saved) {
      // A button that does not save the form: keep what was typed in the autosave first.
      event.preventDefault();
      send("save")
        .catch(() => null)
        .finally(() => {
          submitting = true;
          form.dataset.resubmitting = "1";
          form.requestSubmit(button);
        });
      return;
    }
    submitting = true;
    setTimeout(release, 30000); // a save stopped or lost on the way: carry on as before
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || snapshot() === saved) return;
    event.preventDefault();
    event.returnValue = ""; // the browser asks "Leave site? Changes you made may not be saved."
  });
  window.addEventListener("pagehide", () => {
    if (!data.leaveUrl || submitting) return;
    const fields = new FormData();
    fields.set("csrfmiddlewaretoken", csrf(form));
    navigator.sendBeacon(data.leaveUrl, fields);
  });
});

/* The body: 30 lines to write in, the live preview beside it (on wide screens)
   in the site's own stylesheet, and a word count with the reading time. */
document.addEventListener("DOMContentLoaded", () => {
  const data = desk();
  const body = document.getElementById("id_body");
  const form = body?.form;
  if (!data || !form || !data.markdownPreviewUrl) return;

  const editor = document.createElement("div");
  editor.className = "body-editor";
  body.replaceWith(editor);
  const writing = document.createElement("div");
  writing.className = "body-writing";
  const count = document.createElement("p");
  count.className = "word-count";
  count.setAttribute("aria-live", "polite");
  writing.append(body, count);

  const pane = document.createElement("section");
  pane.className = "markdown-preview";
  pane.setAttribute("aria-label", "Live preview");
  const heading = document.createElement("h3");
  heading.textContent = "Live preview, as readers will see it";
  const frame = document.createElement("iframe");
  frame.title = "Live preview of the body";
  frame.setAttribute("sandbox", "allow-same-origin");
  pane.append(heading, frame);
  editor.append(writing, pane);
  const help = document.querySelector(".markdown-help");
  if (help) editor.after(help);

  const wordsIn = (text) => (text.match(/[\p{L}\p{N}_]+(?:['’-][\p{L}\p{N}_]+)*/gu) || []).length;
  const fast = Number(data.wordsFast) || 265;
  const slow = Number(data.wordsSlow) || 180;
  const counted = () => {
    const words = wordsIn(body.value);
    const low = Math.max(1, Math.ceil(words / fast));
    const high = Math.max(1, Math.ceil(words / slow));
    const minutes = low === high ? `${low} min read` : `${low}–${high} min read`;
    count.textContent = `${words.toLocaleString("en-GB")} word${words === 1 ? "" : "s"} · ${minutes}`;
  };

  const page = (html) => `<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<link rel="stylesheet" href="${data.siteCss}"></head>
<body><main class="container"><article class="story"><div class="body">${html}</div></article></main></body></html>`;
  const fit = () => {
    // As tall as the text, up to three quarters of the screen; longer text scrolls inside.
    const doc = frame.contentDocument;
    if (!doc?.body) return;
    const tallest = Math.round(window.innerHeight * 0.75);
    frame.style.height = `${Math.min(tallest, Math.max(240, doc.documentElement.scrollHeight + 4))}px`;
  };
  frame.addEventListener("load", fit);

  let timer = null;
  let latest = 0;
  const render = async () => {
    const ticket = ++latest;
    const fields = new FormData();
    fields.append("body", body.value);
    try {
      const response = await fetch(data.markdownPreviewUrl, {
        method: "POST",
        body: fields,
        headers: { "X-CSRFToken": csrf(form) },
        credentials: "same-origin",
      });
      const json = await response.json();
      if (ticket !== latest) return; // an older answer arriving late
      const div = document.createElement("div");
      if (json.error) {
        div.textContent = json.error;
        frame.srcdoc = page(`<p class="notice">${div.innerHTML}</p>`);
      } else {
        frame.srcdoc = page(json.html || "<p>The preview appears here as you write.</p>");
      }
    } catch (error) {
      if (ticket === latest) frame.srcdoc = page("<p>The preview is not available right now.</p>");
    }
  };
  body.addEventListener("input", () => {
    counted();
    clearTimeout(timer);
    timer = setTimeout(render, 300);
  });
  counted();
  render();
});

/* Search result and social card previews beside the SEO fields, with counters. */
document.addEventListener("DOMContentLoaded", () => {
  const data = desk();
  const seoTitle = document.getElementById("id_seo_title");
  const seoDescription = document.getElementById("id_seo_description");
  if (!data || !seoTitle || !seoDescription) return;
  const headline = document.getElementById("id_title");
  const dek = document.getElementById("id_dek");
  const slug = document.getElementById("id_slug");

  const counter = (input, advised, most) => {
    const out = document.createElement("span");
    out.className = "char-count";
    out.setAttribute("aria-live", "polite");
    const help = input.closest(".form-row")?.querySelector(".help");
    if (help) help.after(out);
    else input.after(out);
    return (fallback) => {
      const length = [...input.value].length;
      out.textContent = length
        ? `${length} of ${advised} characters shown in search results${length > most ? `: over the ${most} allowed` : ""}`
        : `Empty: ${fallback}`;
      out.classList.toggle("over", length > advised);
    };
  };
  const titleCount = counter(seoTitle, 60, 70);
  const descriptionCount = counter(seoDescription, 155, 160);

  const box = document.createElement("div");
  box.className = "seo-previews";
  box.innerHTML = `
    <figure class="serp-preview"><figcaption>In search results</figcaption>
      <div class="serp-url"></div><div class="serp-title"></div><div class="serp-description"></div></figure>
    <figure class="card-preview"><figcaption>When shared</figcaption>
      <div class="card-image"></div>
      <div class="card-text"><div class="card-domain"></div><div class="card-title"></div><div class="card-description"></div></div></figure>`;
  seoDescription.closest(".form-row")?.after(box);
  const image = box.querySelector(".card-image");
  if (data.cardImage) {
    const img = document.createElement("img");
    img.src = data.cardImage;
    img.alt = "";
    image.append(img);
  } else {
    image.textContent = "The picture readers will see appears once the story is saved.";
  }
  const cut = (text, most) => ([...text].length > most ? `${[...text].slice(0, most - 1).join("").trimEnd()}…` : text);
  const update = () => {
    const title = seoTitle.value.trim() || headline?.value.trim() || "Headline";
    const description = seoDescription.value.trim() || dek?.value.trim() || "Search engines pick their own snippet when there is no description or standfirst.";
    box.querySelector(".serp-url").textContent = `${data.siteDomain}${data.urlPrefix}${slug?.value || "…"}/`;
    box.querySelector(".serp-title").textContent = cut(title, 60);
    box.querySelector(".serp-description").textContent = cut(description, 155);
    box.querySelector(".card-domain").textContent = data.siteDomain.toUpperCase();
    box.querySelector(".card-title").textContent = cut(title, 90);
    box.querySelector(".card-description").textContent = cut(description, 120);
    titleCount("search results and shares use the headline.");
    descriptionCount(dek?.value.trim() ? "they use the standfirst." : "search engines pick a snippet of their own.");
  };
  for (const input of [seoTitle, seoDescription, headline, dek, slug]) input?.addEventListener("input", update);
  update();
});

/* Tags: existing ones suggested as you type (the browser's own list). */
document.addEventListener("DOMContentLoaded", () => {
  const data = desk();
  const input = document.getElementById("id_tags");
  if (!data || !input || !data.tagSuggestUrl) return;
  const list = document.createElement("datalist");
  list.id = "tag-suggestions";
  input.after(list);
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const parts = input.value.split(",");
      const term = parts.pop().trim();
      if (!term) return list.replaceChildren();
      const before = parts.map((part) => part.trim()).filter(Boolean);
      try {
        const response = await fetch(`${data.tagSuggestUrl}?q=${encodeURIComponent(term)}`, { credentials: "same-origin" });
        const { tags } = await response.json();
        list.replaceChildren(
          ...tags.map((name) => {
            const option = document.createElement("option");
            option.value = [...before, name.includes(",") ? `"${name}"` : name].join(", ");
            option.label = name;
            return option;
          }),
        );
      } catch (error) {
        list.replaceChildren();
      }
    }, 200);
  });
});

/* The byline: move writers up and down; positions follow the order on screen. */
document.addEventListener("DOMContentLoaded", () => {
  const group = document.querySelector(".byline-inline") || document.getElementById("bylines-group");
  if (!group) return;
  const renumber = () => {
    const rows = [...group.querySelectorAll("tr.form-row:not(.empty-form)")];
    rows.forEach((row, i) => {
      const position = row.querySelector("input[name$='-position']");
      if (position) position.value = i;
    });
  };
  const addButtons = (row) => {
    if (row.querySelector(".byline-move")) return;
    const cell = row.querySelector("td.field-position") || row.lastElementChild;
    const moves = document.createElement("span");
    moves.className = "byline-move";
    for (const [label, step] of [["Move up", -1], ["Move down", 1]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = step < 0 ? "↑" : "↓";
      button.setAttribute("aria-label", label);
      button.addEventListener("click", () => {
        const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
        if (!sibling || !sibling.matches("tr.form-row:not(.empty-form)")) return;
        if (step < 0) sibling.before(row);
        else sibling.after(row);
        renumber();
        button.focus();
      });
      moves.append(button);
    }
    cell.append(moves);
  };
  group.querySelectorAll("tr.form-row:not(.empty-form)").forEach(addButtons);
  document.addEventListener("formset:added", (event) => {
    if (event.detail?.formsetName !== "bylines") return;
    addButtons(event.target);
    renumber();
  });
});

/* The season menu lists only the seasons of the main show chosen above it. Run once
   Django's own autocomplete has set the menus up (it does so when the page is ready). */
window.addEventListener("load", () => {
  const $ = window.django?.jQuery;
  const season = document.getElementById("id_season");
  const show = document.getElementById("id_show");
  if (!$ || !season || !show || !$(season).data("select2")) return;
  // A season of another show is never left chosen when the main show changes.
  $(show).on("change", () => $(season).val(null).trigger("change"));
  $(season).select2("destroy");
  $(season).select2({
    ajax: {
      data: (params) => ({
        term: params.term,
        page: params.page,
        app_label: season.dataset.appLabel,
        model_name: season.dataset.modelName,
        field_name: season.dataset.fieldName,
        show: show.value || "",
      }),
    },
  });
});
