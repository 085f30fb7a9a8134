/* Private notes on a trial page: kept only in this browser (localStorage) until the visitor sends
   them; then the server keeps them encrypted and answers with a link and a passcode.
   Every string comes translated from <template id="notes-ui">; text is only ever set with
   textContent, never parsed as HTML. Without JavaScript none of this appears. */
(function () {
  "use strict";

  const source = document.getElementById("notes-ui");
  const main = document.getElementById("main");
  const storageKey = source ? "trialfinder.notes." + source.dataset.trial : "";
  if (!source || !main || !window.fetch || !storageWorks()) {
    return;
  }

  const data = source.dataset;
  const maxNotes = Number(data.maxNotes);
  const maxQuote = Number(data.maxQuote);
  const ui = source.content.firstElementChild.cloneNode(true);
  const find = (selector) => ui.querySelector(selector);
  const toggle = find(".notes-toggle");
  const panel = find(".notes-panel");
  const floating = find(".notes-add-selection");
  const editor = find(".notes-editor");
  const editorQuote = find(".notes-editor-quote");
  const textarea = find("#notes-text");
  const list = find(".notes-list");
  const itemTemplate = find("template.notes-item");
  const sendButton = find(".notes-send-button");
  const result = find(".notes-result");
  const errorBox = find(".notes-error");
  const status = find(".notes-status");

  let notes = load();
  let selectedQuote = "";
  let editing = null; // {id, quote} while the editor is open
  let sending = false;
  let token = null; // a promise of the CSRF token, asked for when the panel first opens

  function storageWorks() {
    try {
      window.localStorage.setItem(storageKey + ".test", "1");
      window.localStorage.removeItem(storageKey + ".test");
      return true;
    } catch (error) {
      return false; // storage refused (private mode, settings): the feature stays absent
    }
  }

  function text(name, values) {
    let message = data[name] || "";
    Object.entries(values || {}).forEach(([key, value]) => {
      message = message.split("{" + key + "}").join(String(value));
    });
    return message;
  }

  function load() {
    try {
      const stored = JSON.parse(window.localStorage.getItem(storageKey) || "[]");
      return Array.isArray(stored)
        ? stored.filter((note) => note && typeof note.text === "string" && typeof note.quote === "string")
        : [];
    } catch (error) {
      return [];
    }
  }

  function save() {
    window.localStorage.setItem(storageKey, JSON.stringify(notes));
  }

  function announce(message) {
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 100);
  }

  function showError(message) {
    errorBox.textContent = message;
  }

  /* The page itself is the same for everyone and carries no token: ask for one, once. */
  function csrfToken() {
    if (!token) {
      token = fetch(data.csrf, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => answer.csrf_token)
        .catch((error) => {
          token = null; // ask again at the next try
          throw error;
        });
    }
    return token;
  }

  /* ---- the list --------------------------------------------------------------------------- */

  function render() {
    toggle.textContent = text("count", { count: notes.length });
    find(".notes-empty").hidden = notes.length > 0;
    find(".notes-send").hidden = notes.length === 0;
    list.replaceChildren(...notes.map(renderItem));
  }

  function renderItem(note, index) {
    const item = itemTemplate.content.firstElementChild.cloneNode(true);
    const quote = item.querySelector("blockquote");
    quote.textContent = note.quote;
    quote.hidden = !note.quote;
    item.querySelector(".notes-item-text").textContent = note.text;
    const edit = item.querySelector(".notes-edit");
    const remove = item.querySelector(".notes-delete");
    edit.textContent = text("edit", { number: index + 1 });
    remove.textContent = text("delete", { number: index + 1 });
    edit.dataset.id = remove.dataset.id = note.id;
    return item;
  }

  function focusNote(id) {
    const button = list.querySelector('.notes-edit[data-id="' + id + '"]');
    (button || find(".notes-add-plain")).focus();
  }

  /* ---- the panel and the editor ------------------------------------------------------------ */

  function openPanel() {
    csrfToken().catch(() => {}); // a failure is told only if sending fails
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    showSelection();
  }

  function closePanel() {
    closeEditor();
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  }

  function openEditor(quote, note) {
    if (!note && notes.length >= maxNotes) {
      showError(text("tooMany"));
      return;
    }
    showError("");
    openPanel();
    editing = { id: note ? note.id : null, quote: note ? note.quote : quote };
    editorQuote.textContent = editing.quote;
    editorQuote.hidden = !editing.quote;
    textarea.value = note ? note.text : "";
    editor.hidden = false;
    textarea.focus();
  }

  function closeEditor() {
    editor.hidden = true;
    editing = null;
  }

  function saveNote(event) {
    event.preventDefault();
    const words = textarea.value.trim();
    if (!words && !editing.quote) {
      textarea.focus();
      return;
    }
    let id = editing.id;
    if (id) {
      notes.find((note) => note.id === id).text = words;
    } else {
      id = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
      notes.push({ id: id, quote: editing.quote, text: words });
    }
    if (!editing.id && editing.quote) {
      forgetSelection(); // that passage has its note now
    }
    save();
    closeEditor();
    render();
    focusNote(id);
    announce(text("saved"));
  }

  function deleteNote(id) {
    const index = notes.findIndex((note) => note.id === id);
    notes.splice(index, 1);
    save();
    render();
    const next = notes[Math.min(index, notes.length - 1)];
    focusNote(next ? next.id : "");
    announce(text("deleted"));
  }

  /* ---- the selection ------------------------------------------------------------------------ */

  function selectedRange() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) {
      return null;
    }
    const range = selection.getRangeAt(0);
    const inside = range.commonAncestorContainer;
    return main.contains(inside) && !ui.contains(inside) ? range : null; // the notes are not page text
  }

  function tidy(passage) {
    const flat = passage.replace(/\s+/g, " ").trim();
    return flat.length > maxQuote ? flat.slice(0, maxQuote - 1) + "…" : flat;
  }

  function onSelectionChange() {
    const range = selectedRange();
    const quote = range ? tidy(range.toString()) : "";
    if (quote) {
      selectedQuote = quote;
      placeFloating(range);
    } else {
      floating.hidden = true;
      // Moving into the notes (to press a button) keeps the passage; a click elsewhere drops it.
      if (!ui.contains(document.activeElement)) {
        selectedQuote = "";
      }
    }
    showSelection();
  }

  function placeFloating(range) {
    const rects = range.getClientRects();
    const last = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    floating.hidden = false;
    const width = floating.offsetWidth;
    const height = floating.offsetHeight;
    const below = last.bottom + 8 + height <= window.innerHeight;
    const left = Math.min(Math.max(8, last.right - width / 2), window.innerWidth - width - 8);
    const top = below ? last.bottom + 8 : Math.max(8, last.top - height - 8);
    // Placed on the page, not the screen: it scrolls with the passage it belongs to.
    floating.style.top = top + window.scrollY + "px";
    floating.style.left = left + window.scrollX + "px";
  }

  function forgetSelection() {
    selectedQuote = "";
    window.getSelection().removeAllRanges();
    floating.hidden = true;
    showSelection();
  }

  function showSelection() {
    find(".notes-selection").hidden = !selectedQuote;
    find(".notes-selection-text").textContent = selectedQuote;
    find(".notes-add-quote").hidden = !selectedQuote;
  }

  /* ---- sending and copying ---------------------------------------------------------------- */

  async function send() {
    if (sending || !notes.length) {
      return;
    }
    sending = true;
    showError("");
    announce(text("sending"));
    try {
      const csrf = await csrfToken();
      const response = await fetch(data.api, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": csrf,
        },
        body: JSON.stringify({
          trial: data.trial,
          lang: data.lang,
          notes: notes.map((note) => ({ quote: note.quote, text: note.text })),
        }),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 201) {
        showResult(answer);
      } else {
        token = null; // an expired token, say: the next try asks for a new one
        showError(answer.error || text("failed"));
      }
    } catch (error) {
      showError(text("failed"));
    } finally {
      sending = false;
    }
  }

  function showResult(answer) {
    find("#notes-link").value = answer.url;
    find("#notes-passcode").value = answer.passcode;
    find("#notes-revoke").value = answer.revoke_url;
    const until = new Intl.DateTimeFormat(data.lang, { dateStyle: "long" }).format(
      new Date(answer.expires_at)
    );
    find(".notes-valid").textContent = text("validUntil", { date: until });
    result.hidden = false;
    find(".notes-result-title").focus();
    announce(text("sent"));
  }

  async function copy(button) {
    const field = find("#" + button.dataset.target);
    try {
      await navigator.clipboard.writeText(field.value);
      announce(text(button.dataset.done));
    } catch (error) {
      field.focus();
      field.select();
      announce(text("copyByHand"));
    }
  }

  /* ---- wiring ----------------------------------------------------------------------------- */

  toggle.addEventListener("click", () => {
    if (panel.hidden) {
      openPanel();
      find("#notes-title").focus();
    } else {
      closePanel();
    }
  });
  // Keep the selection alive while the pointer presses a button that uses it.
  [floating, find(".notes-add-quote")].forEach((button) => {
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      floating.hidden = true;
      openEditor(selectedQuote, null);
    });
  });
  find(".notes-add-plain").addEventListener("click", () => openEditor("", null));
  find(".notes-cancel").addEventListener("click", () => {
    closeEditor();
    find("#notes-title").focus();
  });
  find(".notes-close").addEventListener("click", closePanel);
  editor.addEventListener("submit", saveNote);
  sendButton.addEventListener("click", send);
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    const note = notes.find((candidate) => candidate.id === button.dataset.id);
    if (note && button.classList.contains("notes-edit")) {
      openEditor(note.quote, note);
    } else if (note && button.classList.contains("notes-delete")) {
      deleteNote(note.id);
    }
  });
  ui.querySelectorAll(".notes-copy").forEach((button) => {
    button.addEventListener("click", () => copy(button));
  });
  ui.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || panel.hidden) {
      return;
    }
    event.preventDefault();
    if (editor.hidden) {
      closePanel();
    } else {
      closeEditor();
      find("#notes-title").focus();
    }
  });
  let pending = 0;
  document.addEventListener("selectionchange", () => {
    window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(onSelectionChange);
  });
  window.addEventListener("storage", (event) => {
    if (event.key === storageKey) {
      notes = load();
      render();
    }
  });

  render();
  // In the flow, beside the trial's navigation (templates/macros.html), never over the text.
  const slot = document.getElementById("notes-slot");
  if (slot) {
    slot.append(ui);
  } else {
    main.after(ui);
  }
  document.documentElement.classList.add("has-notes");
})();
