/* mtrepair review page: accept, reject or edit each proposal, rewrite any sentence, and see the article as decided.
 *
 * Everything here runs offline in one file. Data comes from the JSON block
 * #review-data; text reaches the page only through textContent and DOM nodes,
 * never as markup. The article as decided is computed with the same rule as
 * repair/decisions.py: the editor's own text wins over an accepted proposal,
 * otherwise the higher confidence wins, ties to the earlier id. A sentence
 * rewrite (repair/decide/rewrites.py) replaces its whole sentence and
 * supersedes the proposals in it.
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("review-data").textContent);
  const TEXT = data.text;
  const proposals = data.proposals;
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const sentences = new Map(data.sentences.map((s) => [s.index, s]));
  const rows = Array.from(document.querySelectorAll("tr.proposal")).filter((row) => byId.has(row.dataset.id));
  const rowOf = new Map(rows.map((row) => [row.dataset.id, row]));
  const storageKey = "mtrepair-review:" + data.run_id + ":" + data.text_sha256;

  let decisions = new Map(); // proposal id -> {action, text}
  let rewrites = new Map(); // sentence index -> {text, reference: {document, sentence_index, text, similarity} | null}
  const history = []; // earlier states, for undo
  let rewriting = null; // the sentence index whose rewrite box is open
  let current = null; // the proposal id in focus
  let editing = null; // the proposal id whose edit box is open
  let served = false; // true when `mtrepair review` serves this page and can save
  let dirty = false;
  let version = null; // the version of decisions.json on the server this page started from (served only)
  let desk = null; // the review desk's state of this run, when the desk serves the page (see deskStart)

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("data-")) node.dataset[key.slice(5)] = value;
      else node.setAttribute(key, value);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* ---- the decision rule, mirrored from repair/decisions.py and repair/apply.py ---- */

  const isEdit = (p) => p.kind !== "flag" && p.replacement !== p.original;

  function overlaps(a, b) {
    if (a.start === a.end || b.start === b.end) {
      return a.start === b.start || (b.start < a.start && a.start < b.end) || (a.start < b.start && b.start < a.end);
    }
    return a.start < b.end && b.start < a.end;
  }

  function compareRank(x, y) {
    const ex = x.action === "edit" ? 0 : 1;
    const ey = y.action === "edit" ? 0 : 1;
    if (ex !== ey) return ex - ey;
    if (x.p.confidence !== y.p.confidence) return y.p.confidence - x.p.confidence;
    return x.p.id < y.p.id ? -1 : x.p.id > y.p.id ? 1 : 0;
  }

  /** A rewritten sentence as a change over its whole span. */
  function rewriteChange(index, rewrite) {
    const s = sentences.get(index);
    const span = { id: "sentence " + (index + 1), start: s.start, end: s.end, original: TEXT.slice(s.start, s.end), confidence: 1 };
    return { p: span, action: "rewrite", text: rewrite.text, sentence: index };
  }

  /** True when proposal `p` lies in the rewritten sentence `r` (an insertion: ends included). */
  function supersedes(r, p) {
    if (p.start === p.end) return r.p.start <= p.start && p.start <= r.p.end;
    return p.start < r.p.end && r.p.start < p.end;
  }

  /** The changes decided so far, resolved: {chosen (by position), dropped: Map loser id -> winner,
   *  superseded: Map proposal id -> the rewrite of its sentence}. */
  function resolve(state, rewriteState) {
    const rewritten = Array.from(rewriteState || rewrites, ([index, r]) => rewriteChange(index, r));
    const superseded = new Map();
    const candidates = [];
    for (const p of proposals) {
      const d = state.get(p.id);
      if (!d) continue;
      let c = null;
      if (d.action === "edit") c = { p: p, action: "edit", text: d.text };
      else if (d.action === "accept" && isEdit(p)) c = { p: p, action: "accept", text: p.replacement };
      if (!c) continue;
      const over = rewritten.find((r) => supersedes(r, p));
      if (over) superseded.set(p.id, over);
      else candidates.push(c);
    }
    candidates.sort(compareRank);
    const chosen = rewritten.slice();
    const dropped = new Map();
    for (const c of candidates) {
      const clash = chosen.find((other) => overlaps(c.p, other.p));
      if (clash) dropped.set(c.p.id, clash);
      else chosen.push(c);
    }
    chosen.sort((a, b) => a.p.start - b.p.start || a.p.end - b.p.end);
    return { chosen: chosen, dropped: dropped, superseded: superseded };
  }

  function splice(text, chosen, offset) {
    let out = "";
    let cursor = 0;
    for (const c of chosen) {
      out += text.slice(cursor, c.p.start - offset) + c.text;
      cursor = c.p.end - offset;
    }
    return out + text.slice(cursor);
  }

  /* ---- word diff for track changes (display only) ---- */

  const TOKENS = /\s+|[\p{L}\p{N}\p{M}_]+(?:[’'-][\p{L}\p{N}\p{M}_]+)*|[^\p{L}\p{N}\p{M}_\s]/gu;

  function wordDiff(before, after) {
    const a = before.match(TOKENS) || [];
    const b = after.match(TOKENS) || [];
    let head = 0;
    while (head < a.length && head < b.length && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    const x = a.slice(head, a.length - tail);
    const y = b.slice(head, b.length - tail);
    const runs = [["equal", a.slice(0, head).join("")]];
    if (x.length * y.length > 400000) {
      runs.push(["delete", x.join("")], ["insert", y.join("")]);
    } else {
      const width = y.length + 1;
      const lcs = new Uint32Array((x.length + 1) * width);
      for (let i = x.length - 1; i >= 0; i--) {
        for (let j = y.length - 1; j >= 0; j--) {
          lcs[i * width + j] = x[i] === y[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
        }
      }
      let i = 0;
      let j = 0;
      while (i < x.length || j < y.length) {
        if (i < x.length && j < y.length && x[i] === y[j]) {
          runs.push(["equal", x[i++]]);
          j++;
        } else if (j >= y.length || (i < x.length && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
          runs.push(["delete", x[i++]]);
        } else {
          runs.push(["insert", y[j++]]);
        }
      }
    }
    runs.push(["equal", a.slice(a.length - tail).join("")]);
    const merged = [];
    for (const [op, text] of runs) {
      if (!text) continue;
      const last = merged[merged.length - 1];
      if (last && last[0] === op) last[1] += text;
      else merged.push([op, text]);
    }
    return merged;
  }

  function appendDiff(parent, before, after) {
    for (const [op, text] of wordDiff(before, after)) {
      if (op === "equal") parent.append(document.createTextNode(text));
      else parent.append(el(op === "delete" ? "del" : "ins", {}, text));
    }
  }

  /* ---- state changes, each one undoable ---- */

  function commit(next, focus, nextRewrites) {
    history.push({ decisions: decisions, rewrites: rewrites, current: current });
    decisions = next;
    if (nextRewrites !== undefined) rewrites = nextRewrites;
    dirty = true;
    if (focus !== undefined) current = focus;
    remember();
    render();
  }

  function decide(id, action, text) {
    const p = byId.get(id);
    if (!p) return;
    const next = new Map(decisions);
    const now = decisions.get(id);
    if (action !== "edit" && now && now.action === action) next.delete(id); // pressing it again undecides
    else next.set(id, action === "edit" ? { action: "edit", text: text } : { action: action });
    commit(next, id);
  }

  function undo() {
    const last = history.pop();
    if (!last) return;
    decisions = last.decisions;
    rewrites = last.rewrites;
    current = last.current;
    closeEditor();
    remember();
    render();
    reveal(current);
    say("Undone.");
  }

  function acceptAbove() {
    const threshold = Number($("accept-threshold").value);
    const next = new Map(decisions);
    let n = 0;
    for (const row of rows) {
      const p = byId.get(row.dataset.id);
      if (row.hidden || next.has(p.id) || !isEdit(p) || !(p.confidence >= threshold)) continue;
      next.set(p.id, { action: "accept" });
      n++;
    }
    if (n) commit(next);
    say(n ? "Accepted " + n + " proposal" + (n === 1 ? "" : "s") + " at or above " + threshold.toFixed(2) + "." : "Nothing undecided is shown at or above " + threshold.toFixed(2) + ".");
  }

  /* ---- rendering ---- */

  function render() {
    const { chosen, dropped, superseded } = resolve(decisions);
    const applied = new Set(chosen.map((c) => c.p.id));
    for (const row of rows) renderRow(row, applied, dropped, superseded);
    renderSentences(chosen);
    underlineWordFlags();
    renderArticle(chosen);
    applyFilters();
    renderProgress(chosen, dropped, superseded);
    $("undo").disabled = history.length === 0;
  }

  function renderRow(row, applied, dropped, superseded) {
    const id = row.dataset.id;
    const p = byId.get(id);
    const d = decisions.get(id);
    row.classList.remove("st-accept", "st-reject", "st-edit");
    if (d) row.classList.add("st-" + d.action);
    row.classList.toggle("current", id === current);
    for (const button of row.querySelectorAll(".decide button")) {
      button.setAttribute("aria-pressed", String(!!d && d.action === button.dataset.act));
    }
    const proposed = row.querySelector(".proposed");
    proposed.classList.toggle("superseded", !!d && d.action === "edit");
    let edited = row.querySelector(".edited");
    if (d && d.action === "edit") {
      if (!edited) {
        edited = el("div", { class: "edited" });
        proposed.after(edited);
      }
      edited.replaceChildren();
      appendDiff(edited, p.original, d.text);
    } else if (edited) {
      edited.remove();
    }
    const status = row.querySelector(".status");
    status.classList.remove("warn");
    let note = "undecided";
    if (d) {
      const winner = dropped.get(id);
      const over = superseded.get(id);
      if (over) {
        note = (d.action === "edit" ? "edited" : "accepted") + ", but you rewrote " + over.p.id + ": not applied";
        status.classList.add("warn");
      } else if (winner) {
        note = (d.action === "edit" ? "edited" : "accepted") + ", but overlaps " + winner.p.id + " (" +
          (winner.action === "edit" && d.action !== "edit" ? "your text" : "confidence " + winner.p.confidence.toFixed(2)) + "): not applied";
        status.classList.add("warn");
      } else if (d.action === "reject") note = p.kind === "flag" || p.kind === "word" ? "dismissed" : "rejected";
      else if (d.action === "edit") note = "your text applied";
      else note = applied.has(id) ? "accepted" : "accepted (kept as it is)";
    }
    status.textContent = note;
  }

  /** The sentence as decided so far (its rewrite, or its chosen proposals applied). */
  function decidedSentence(index, chosen) {
    const s = sentences.get(index);
    const before = TEXT.slice(s.start, s.end);
    if (rewrites.has(index)) return rewrites.get(index).text;
    return splice(before, chosen.filter((c) => c.p.start >= s.start && c.p.end <= s.end), s.start);
  }

  function renderSentences(chosen) {
    for (const block of sentenceBlocks) {
      const index = Number(block.dataset.sentence);
      const s = sentences.get(index);
      const box = block.querySelector(".text");
      if (!s || !box) continue;
      const before = TEXT.slice(s.start, s.end);
      box.replaceChildren();
      appendDiff(box, before, decidedSentence(index, chosen));
      const r = rewrites.get(index);
      const bar = barOf.get(index);
      const button = bar.querySelector("button[data-rewrite]");
      button.textContent = r ? "Edit rewrite" : "Rewrite";
      button.setAttribute("aria-label", (r ? "Edit rewrite of sentence " : "Rewrite sentence ") + (index + 1));
      bar.querySelector(".status").textContent = !r ? "" : r.reference
        ? "rewritten by you, from " + r.reference.document + " #" + (r.reference.sentence_index + 1)
        : "rewritten by you";
    }
  }

  function renderArticle(chosen) {
    const focus = current ? byId.get(current) : null;
    const original = $("article-original");
    original.replaceChildren();
    if (focus) {
      original.append(document.createTextNode(TEXT.slice(0, focus.start)));
      original.append(el("mark", focus.start === focus.end ? { class: "point" } : {}, TEXT.slice(focus.start, focus.end)));
      original.append(document.createTextNode(TEXT.slice(focus.end)));
    } else {
      original.textContent = TEXT;
    }
    // The repaired text: unchanged stretches as text, each chosen change as a track-changes diff.
    const pieces = chosen.slice();
    if (focus && !pieces.some((c) => overlaps(c.p, focus))) pieces.push({ p: focus, text: focus.original });
    pieces.sort((a, b) => a.p.start - b.p.start || a.p.end - b.p.end);
    const repaired = $("article-repaired");
    repaired.replaceChildren();
    let cursor = 0;
    for (const c of pieces) {
      repaired.append(document.createTextNode(TEXT.slice(cursor, c.p.start)));
      const isFocus = focus && (c.p.id === focus.id || overlaps(c.p, focus));
      const span = el("span", { class: "chg" + (isFocus ? " current" : ""), "data-id": c.p.id });
      if (c.text === c.p.original) span.textContent = c.text;
      else appendDiff(span, c.p.original, c.text);
      if (isFocus && c.p.start === c.p.end && !c.text) span.classList.add("point");
      repaired.append(span);
      cursor = c.p.end;
    }
    repaired.append(document.createTextNode(TEXT.slice(cursor)));
  }

  function renderProgress(chosen, dropped, superseded) {
    const counts = { accept: 0, reject: 0, edit: 0 };
    for (const d of decisions.values()) counts[d.action]++;
    const decided = counts.accept + counts.reject + counts.edit;
    $("progress").textContent = decided + " of " + proposals.length + " decided · " + counts.accept + " accepted · " +
      counts.reject + " rejected · " + counts.edit + " edited · " + chosen.length + " change" + (chosen.length === 1 ? "" : "s") +
      " in the article" + (dropped.size ? " · " + dropped.size + " overridden" : "") +
      (rewrites.size ? " · " + rewrites.size + " sentence" + (rewrites.size === 1 ? "" : "s") + " rewritten" : "") +
      (superseded.size ? " · " + superseded.size + " superseded" : "");
  }

  /* ---- filters and navigation ---- */

  function applyFilters() {
    const kinds = new Set(Array.from(document.querySelectorAll("#toolbar input[data-kind]")).filter((box) => box.checked).map((box) => box.dataset.kind));
    const min = Number($("min-conf").value);
    const status = $("status-filter").value;
    for (const row of rows) {
      const p = byId.get(row.dataset.id);
      const decided = decisions.has(p.id);
      row.hidden = !kinds.has(p.kind) || p.confidence < min - 1e-9 ||
        (status === "undecided" && decided) || (status === "decided" && !decided);
    }
    for (const section of document.querySelectorAll("section.sentence")) {
      section.hidden = !Array.from(section.querySelectorAll("tr.proposal")).some((row) => !row.hidden);
    }
  }

  function visibleRows() {
    return rows.filter((row) => !row.hidden);
  }

  function move(step) {
    const shown = visibleRows();
    if (!shown.length) return;
    const at = shown.findIndex((row) => row.dataset.id === current);
    const next = at < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(shown.length - 1, Math.max(0, at + step));
    focusOn(shown[next].dataset.id);
  }

  function focusOn(id) {
    current = id;
    render();
    reveal(id);
  }

  function reveal(id) {
    const row = id && rowOf.get(id);
    if (row && !row.hidden) {
      const box = row.getBoundingClientRect();
      if (box.top < 70 || box.bottom > window.innerHeight) row.scrollIntoView({ block: "center" });
    }
    for (const column of [$("article-original"), $("article-repaired")]) {
      const mark = column.querySelector("mark, .chg.current");
      if (mark) column.scrollTop = Math.max(0, mark.offsetTop - column.clientHeight / 3);
    }
  }

  /* ---- editing ---- */

  function openEditor(id) {
    const row = rowOf.get(id);
    if (!row) return;
    closeEditor();
    const p = byId.get(id);
    const d = decisions.get(id);
    editing = id;
    current = id;
    render();
    const box = el("div", { class: "edit-box" });
    const area = el("textarea", { "aria-label": "your text for " + id, rows: "2" });
    area.value = d && d.action === "edit" ? d.text : isEdit(p) ? p.replacement : p.original;
    const save = el("button", { type: "button", class: "primary", "data-edit": "save" }, "Save edit");
    const cancel = el("button", { type: "button", "data-edit": "cancel" }, "Cancel");
    box.append(area, save, document.createTextNode(" "), cancel, el("span", { class: "hint" }, "  Enter saves, Shift+Enter a new line, Esc cancels"));
    row.querySelector("td.change").append(box);
    save.addEventListener("click", () => finishEdit(true));
    cancel.addEventListener("click", () => finishEdit(false));
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        finishEdit(true);
      } else if (event.key === "Escape") {
        event.preventDefault();
        finishEdit(false);
      }
    });
    area.focus();
    area.select();
  }

  function finishEdit(keep) {
    const id = editing;
    const area = id && rowOf.get(id).querySelector(".edit-box textarea");
    const text = area ? area.value : null;
    closeEditor();
    if (keep && text !== null) decide(id, "edit", text);
    reveal(id);
  }

  function closeEditor() {
    for (const box of document.querySelectorAll(".edit-box")) box.remove();
    editing = null;
    rewriting = null;
  }

  /* ---- rewriting a whole sentence, from its reference sentences ---- */

  const sentenceBlocks = Array.from(document.querySelectorAll("[data-sentence]")).filter(
    (node) => !node.matches("details") && sentences.has(Number(node.dataset.sentence)));
  const barOf = new Map(); // sentence index -> its rewrite bar
  let pickedPart = ""; // the part of a reference sentence selected when "use this" was pressed

  function refsOf(index) {
    return document.querySelector('details.refs[data-sentence="' + index + '"]');
  }

  /** Open the rewrite box of sentence `index`, starting from its rewrite or from the sentence as decided so far. */
  function openRewrite(index) {
    if (!sentences.has(index)) return null;
    closeEditor();
    rewriting = index;
    const r = rewrites.get(index);
    const box = el("div", { class: "edit-box rewrite-box", "data-sentence": String(index) });
    const id = "rewrite-" + index;
    const label = el("label", { for: id, class: "hint" }, "Your wording for sentence " + (index + 1) +
      (refsOf(index) ? " (use this on a reference sentence below puts it here)" : ""));
    const area = el("textarea", { id: id, rows: "2" });
    area.value = r ? r.text : decidedSentence(index, resolve(decisions).chosen);
    box.reference = r ? r.reference : null;
    const save = el("button", { type: "button", class: "primary", "data-rewriteact": "save" }, "Save rewrite");
    const cancel = el("button", { type: "button", "data-rewriteact": "cancel" }, "Cancel");
    box.append(label, area, save, document.createTextNode(" "), cancel);
    if (r) box.append(document.createTextNode(" "), el("button", { type: "button", "data-rewriteact": "discard" }, "Discard rewrite"));
    box.append(el("span", { class: "hint" }, "  Enter saves, Shift+Enter a new line, Esc cancels"));
    const bar = barOf.get(index);
    (bar.closest("p") || bar).after(box);
    save.addEventListener("click", () => finishRewrite(true));
    cancel.addEventListener("click", () => finishRewrite(false));
    const discard = box.querySelector('[data-rewriteact="discard"]');
    if (discard) discard.addEventListener("click", () => discardRewrite(index));
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        finishRewrite(true);
      } else if (event.key === "Escape") {
        event.preventDefault();
        finishRewrite(false);
      }
    });
    const refs = refsOf(index);
    if (refs) refs.open = true;
    area.focus();
    area.select();
    return box;
  }

  /** "use this": put a reference sentence (or the part of it selected) into the rewrite box, in place of the box's selection. */
  function useReference(index, item) {
    const box = rewriting === index ? document.querySelector(".rewrite-box") : openRewrite(index);
    if (!box) return;
    const whole = item.querySelector("q").textContent;
    const part = pickedPart && whole.includes(pickedPart) ? pickedPart : whole;
    pickedPart = "";
    const area = box.querySelector("textarea");
    const start = area.selectionStart;
    area.setRangeText(part, start, area.selectionEnd, "select");
    area.focus();
    box.reference = {
      document: item.dataset.document,
      sentence_index: Number(item.dataset.index),
      text: whole,
      similarity: Number(item.dataset.similarity),
    };
    say("Reference sentence put in your rewrite of sentence " + (index + 1) + ": edit it, then Enter saves.");
  }

  function finishRewrite(keep) {
    const index = rewriting;
    const box = document.querySelector(".rewrite-box");
    const text = box ? box.querySelector("textarea").value : null;
    const reference = box ? box.reference : null;
    closeEditor();
    if (!keep || text === null || index === null) {
      if (index !== null) barOf.get(index).querySelector("button[data-rewrite]").focus();
      return;
    }
    if (!rewrites.has(index) && text === decidedSentence(index, resolve(decisions).chosen)) return; // nothing rewritten
    const next = new Map(rewrites);
    next.set(index, { text: text, reference: reference });
    commit(decisions, undefined, next);
    say("Sentence " + (index + 1) + " rewritten; its proposals give way to your text.");
    barOf.get(index).querySelector("button[data-rewrite]").focus();
  }

  function discardRewrite(index) {
    closeEditor();
    const next = new Map(rewrites);
    next.delete(index);
    commit(decisions, undefined, next);
    say("Rewrite of sentence " + (index + 1) + " discarded.");
    barOf.get(index).querySelector("button[data-rewrite]").focus();
  }

  function addRewriteControls() {
    for (const block of sentenceBlocks) {
      const index = Number(block.dataset.sentence);
      const bar = el("div", { class: "rewrite-bar" });
      const button = el("button", { type: "button", "data-rewrite": String(index), "aria-label": "Rewrite sentence " + (index + 1),
        title: "Rewrite this sentence in your own words (w)" }, "Rewrite");
      button.addEventListener("click", () => openRewrite(index));
      bar.append(button, el("span", { class: "status" }));
      if (block.matches("p")) block.append(bar); // a sentence without proposals: inline, after its text
      else block.querySelector(".text").after(bar);
      barOf.set(index, bar);
      const refs = refsOf(index);
      if (!refs) continue;
      refs.querySelectorAll("li[data-document]").forEach((item, n) => {
        const use = el("button", { type: "button", class: "use-ref",
          "aria-label": "use this: reference sentence " + (n + 1) + " as the start of a rewrite of sentence " + (index + 1) }, "use this");
        const pick = () => {
          const picked = window.getSelection();
          return picked && !picked.isCollapsed && item.querySelector("q").contains(picked.anchorNode) ? picked.toString().trim() : "";
        };
        use.addEventListener("mousedown", () => { pickedPart = pick(); });
        use.addEventListener("click", (event) => {
          if (event.detail === 0) pickedPart = pick(); // pressed from the keyboard: no mousedown came first
          useReference(index, item);
        });
        item.append(document.createTextNode(" "), use);
      });
    }
  }

  /* ---- export, save, restore ---- */

  function decisionsDocument() {
    const list = [];
    for (const p of proposals) {
      const d = decisions.get(p.id);
      if (!d) continue;
      list.push(d.action === "edit" ? { proposal_id: p.id, action: "edit", text: d.text } : { proposal_id: p.id, action: d.action });
    }
    const rewritten = Array.from(rewrites.keys()).sort((a, b) => a - b).map((index) => {
      const s = sentences.get(index);
      const r = rewrites.get(index);
      const entry = { sentence_index: index, original: TEXT.slice(s.start, s.end), text: r.text };
      if (r.reference) entry.reference = r.reference;
      return entry;
    });
    const doc = {
      schema_version: rewritten.length ? 2 : 1, // version 2 adds rewrites; without them the file stays version 1
      kind: "mtrepair-decisions",
      run_id: data.run_id,
      text_sha256: data.text_sha256,
      target: data.target,
      created: new Date().toISOString(),
      decisions: list,
    };
    if (rewritten.length) doc.rewrites = rewritten;
    return doc;
  }

  function exportFile() {
    const blob = new Blob([JSON.stringify(decisionsDocument(), null, 2) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: "decisions.json" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
    say("Exported decisions.json. Apply it with: mtrepair apply RUN_DIR --decisions decisions.json");
  }

  async function saveToServer() {
    try {
      const doc = decisionsDocument();
      if (desk) doc.by = desk.editor;
      const headers = { "Content-Type": "application/json" };
      if (version !== null) headers["If-Match"] = '"' + version + '"';
      const sent = history.length;
      const response = await fetch("api/decisions", { method: "POST", headers: headers, body: JSON.stringify(doc) });
      const answer = await response.json();
      if (!response.ok) throw Object.assign(new Error(answer.error || "the server refused the decisions"), { status: response.status });
      if (answer.version !== undefined) version = answer.version;
      if (history.length === sent) dirty = false;
      say(answer.message || "Saved.");
      if (desk) deskSaved();
    } catch (error) {
      if (desk) deskRefused(error);
      say("Not saved: " + error.message + (error.status === 412 ? " Your changes stay in this page: Export keeps them." : ""), true);
    }
  }

  function restore(doc, where) {
    if (!doc || doc.run_id !== data.run_id || doc.text_sha256 !== data.text_sha256 || !Array.isArray(doc.decisions)) return false;
    const next = new Map();
    for (const d of doc.decisions) {
      if (!byId.has(d.proposal_id) || !["accept", "reject", "edit"].includes(d.action)) continue;
      if (d.action === "edit" && typeof d.text !== "string") continue;
      next.set(d.proposal_id, d.action === "edit" ? { action: "edit", text: d.text } : { action: d.action });
    }
    const nextRewrites = new Map();
    for (const r of Array.isArray(doc.rewrites) ? doc.rewrites : []) {
      const s = r && sentences.get(r.sentence_index);
      if (!s || typeof r.text !== "string" || r.original !== TEXT.slice(s.start, s.end)) continue;
      const ref = r.reference;
      const usable = ref && typeof ref.document === "string" && Number.isInteger(ref.sentence_index) && typeof ref.text === "string";
      nextRewrites.set(r.sentence_index, { text: r.text, reference: usable ? ref : null });
    }
    if (!next.size && !nextRewrites.size) return false;
    commit(next, undefined, nextRewrites);
    dirty = false;
    say("Restored " + next.size + " decision" + (next.size === 1 ? "" : "s") +
      (nextRewrites.size ? " and " + nextRewrites.size + " rewritten sentence" + (nextRewrites.size === 1 ? "" : "s") : "") +
      " " + where + " (Undo forgets them).");
    return true;
  }

  function remember() {
    if (desk) deskSchedule();
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(decisionsDocument()));
    } catch (error) {
      /* storage is a convenience; a page without it still works */
    }
  }

  function recall() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  }

  async function detectServer() {
    if (location.protocol !== "http:") return;
    try {
      const response = await fetch("api/run", { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const info = await response.json();
      if (info.run_id !== data.run_id || info.text_sha256 !== data.text_sha256) return;
      served = true;
      version = typeof info.version === "string" ? info.version : null;
      if (info.desk) {
        deskStart(info);
        return;
      }
      $("save").hidden = false;
      $("save").title = "Write decisions.json into " + (info.folder || "the run folder");
      if (!decisions.size && !rewrites.size && info.decisions) restore(info.decisions, "saved in the run folder");
      if (info.waiting) say(info.waiting);
    } catch (error) {
      /* not served by mtrepair review: Export is the way out */
    }
  }

  /* ---- the review desk: the editor's name, autosave with versions, Done, reopen, stale decisions ---- */

  const EDITOR_KEY = "mtrepair-desk:editor";
  const AUTOSAVE_MS = 700;

  function deskStart(info) {
    let editor = "";
    try {
      editor = window.localStorage.getItem(EDITOR_KEY) || "";
    } catch (error) {
      /* no storage: the name is asked on every visit */
    }
    desk = { info: info, editor: editor, timer: null, saving: null, blocked: false };
    const bar = el("div", { id: "desk-bar", class: "desk-bar" });
    bar.append(el("a", { href: "/", id: "desk-back" }, "← desk"), el("b", { id: "desk-drop" }, String(info.folder || "").split("/")[0]));
    const who = el("label", { id: "desk-who" }, "Your name ");
    const name = el("input", { id: "desk-editor", type: "text", maxlength: "80", autocomplete: "name", placeholder: "asked once, kept in this browser" });
    name.value = editor;
    const ok = el("button", { type: "button", id: "desk-editor-ok" }, "OK");
    who.append(name, ok);
    const setName = () => {
      const value = name.value.trim();
      if (!value) return;
      desk.editor = value;
      try {
        window.localStorage.setItem(EDITOR_KEY, value);
      } catch (error) {
        /* kept for this page only */
      }
      deskShow();
      if (dirty) deskSchedule();
    };
    ok.addEventListener("click", setName);
    name.addEventListener("keydown", (event) => {
      if (event.key === "Enter") setName();
    });
    bar.append(who, el("span", { id: "desk-state" }), el("span", { id: "desk-files" }));
    const done = el("button", { type: "button", class: "primary", id: "desk-done" }, "Done");
    const reopenButton = el("button", { type: "button", id: "desk-reopen" }, "Reopen");
    done.addEventListener("click", deskDone);
    reopenButton.addEventListener("click", deskReopen);
    bar.append(done, reopenButton, el("div", { id: "desk-stale", hidden: "" }));
    $("toolbar").prepend(bar);
    $("save").hidden = true;
    if (info.decisions) {
      restore(info.decisions, "saved on the desk" + (info.by ? " by " + info.by : ""));
    } else if (decisions.size || rewrites.size) {
      dirty = true; // this browser's own unsaved work: save it
      deskSchedule();
    }
    if (info.problem) say("The saved decisions cannot be used: " + info.problem, true);
    deskShow();
  }

  function deskShow() {
    const info = desk.info;
    $("desk-editor").parentElement.classList.toggle("missing", !desk.editor);
    const state = info.state === "done"
      ? "done by " + (info.done_by || "?") + (info.done_at ? " at " + info.done_at : "")
      : info.by ? info.state + " · last saved by " + info.by + (info.at ? " at " + info.at : "") : info.state;
    $("desk-state").textContent = state;
    $("desk-done").hidden = info.state === "done";
    $("desk-reopen").hidden = info.state !== "done";
    const files = $("desk-files");
    files.textContent = "";
    if (info.final) {
      files.append(el("a", { href: "final.txt", id: "desk-final" }, "final.txt"), document.createTextNode(" · "),
        el("a", { href: "changes.md", id: "desk-changes" }, "changes.md"));
    }
    const stale = $("desk-stale");
    stale.textContent = "";
    stale.hidden = !info.stale;
    if (info.stale) {
      const s = info.stale;
      stale.append(el("b", {}, "Stale decisions: "), document.createTextNode(
        s.total + " decisions" + (s.by ? " by " + s.by : "") + " were saved for an earlier text of this drop (run " + s.run +
        "); they are not applied here. " + s.fitting + " still fit this text" +
        (s.dropped.length ? ", " + s.dropped.length + " do not: " + s.dropped.join("; ") : "") + ". "));
      const keep = el("button", { type: "button", id: "desk-carry" }, "Carry over the " + s.fitting + " that fit");
      keep.disabled = !s.fitting;
      keep.addEventListener("click", deskCarry);
      stale.append(keep);
    }
  }

  function deskSchedule() {
    if (!desk || desk.blocked) return;
    clearTimeout(desk.timer);
    desk.timer = setTimeout(deskFlush, AUTOSAVE_MS);
  }

  async function deskFlush() {
    clearTimeout(desk.timer);
    if (desk.saving) await desk.saving;
    if (!dirty || desk.blocked) return;
    if (!desk.editor) {
      say("Give your name (top left) to save your decisions on the desk.", true);
      $("desk-editor").focus();
      return;
    }
    desk.saving = saveToServer();
    await desk.saving;
    desk.saving = null;
  }

  function deskSaved() {
    desk.info.state = desk.info.state === "done" ? "done" : "in review";
    desk.info.by = desk.editor;
    desk.info.at = new Date().toISOString().slice(0, 19) + "Z";
    deskShow();
  }

  function deskRefused(error) {
    if (error.status === 412) desk.blocked = true; // another editor's newer decisions are on disk: stop saving over them
  }

  async function deskPost(path, body) {
    const headers = { "Content-Type": "application/json" };
    if (version !== null) headers["If-Match"] = '"' + version + '"';
    const response = await fetch(path, { method: "POST", headers: headers, body: JSON.stringify(body || { by: desk.editor }) });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || "refused");
    return answer;
  }

  async function deskRefresh() {
    const response = await fetch("api/run", { headers: { Accept: "application/json" } });
    if (response.ok) {
      desk.info = await response.json();
      version = desk.info.version;
    }
    deskShow();
  }

  async function deskDone() {
    if (!desk.editor) {
      say("Give your name (top left) first.", true);
      return;
    }
    try {
      await deskFlush();
      if (dirty) throw new Error("the decisions could not be saved first");
      const answer = await deskPost("api/done");
      await deskRefresh();
      say(answer.message);
    } catch (error) {
      say("Not done: " + error.message, true);
    }
  }

  async function deskReopen() {
    try {
      const answer = await deskPost("api/reopen");
      await deskRefresh();
      say(answer.message);
    } catch (error) {
      say("Not reopened: " + error.message, true);
    }
  }

  async function deskCarry() {
    if (!desk.editor) {
      say("Give your name (top left) first.", true);
      return;
    }
    try {
      const answer = await deskPost("api/carry-over");
      await deskRefresh();
      if (desk.info.decisions) restore(desk.info.decisions, "carried over from the earlier text");
      say(answer.message);
    } catch (error) {
      say("Not carried over: " + error.message, true);
    }
  }

  function say(text, isError) {
    const box = $("message");
    box.textContent = text;
    box.classList.toggle("error", !!isError);
  }

  /* ---- wiring ---- */

  function addControls() {
    for (const head of document.querySelectorAll(".decide-head")) head.hidden = false;
    for (const row of rows) {
      const cell = el("td", { class: "decide" });
      const buttons = el("div", { class: "buttons" });
      for (const [act, label, key] of [["accept", "Accept", "a"], ["reject", "Reject", "r"], ["edit", "Edit", "e"]]) {
        buttons.append(el("button", { type: "button", "data-act": act, "aria-pressed": "false", title: label + " (" + key + ")" }, label));
      }
      cell.append(buttons, el("div", { class: "status" }, "undecided"));
      row.append(cell);
      row.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-act]");
        const id = row.dataset.id;
        if (button) {
          if (button.dataset.act === "edit") openEditor(id);
          else decide(id, button.dataset.act);
        } else if (!event.target.closest(".edit-box") && current !== id) {
          current = id;
          render();
          reveal(id);
        }
      });
    }
    addRewriteControls();
    addWordFlagControls();
    document.body.classList.add("reviewing");
    for (const id of ["toolbar", "article", "legend-review"]) $(id).hidden = false;
    $("legend").hidden = true;
    $("undo").addEventListener("click", undo);
    $("export").addEventListener("click", exportFile);
    $("save").addEventListener("click", saveToServer);
    $("accept-above").addEventListener("click", acceptAbove);
    $("min-conf").addEventListener("input", () => {
      $("min-conf-value").textContent = Number($("min-conf").value).toFixed(2);
      applyFilters();
    });
    $("status-filter").addEventListener("change", applyFilters);
    for (const box of document.querySelectorAll("#toolbar input[data-kind]")) box.addEventListener("change", applyFilters);
    document.addEventListener("keydown", onKey);
    const fitBar = () => document.documentElement.style.setProperty("--bar", $("toolbar").offsetHeight + "px");
    window.addEventListener("resize", fitBar);
    fitBar();
    window.addEventListener("beforeunload", (event) => {
      if (served && dirty) event.preventDefault();
    });
  }

  function onKey(event) {
    if (event.target.closest && event.target.closest("textarea, input, select")) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z") {
      event.preventDefault();
      undo();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const act = { a: "accept", r: "reject" }[event.key];
    if (event.key === "w") {
      const p = current && byId.get(current);
      if (!p || p.sentence_index === null || p.sentence_index === undefined) return;
      event.preventDefault();
      openRewrite(p.sentence_index);
      return;
    }
    if (event.key === "j" || event.key === "n") move(1);
    else if (event.key === "k" || event.key === "p") move(-1);
    else if (event.key === "u") undo();
    else if (act || event.key === "e") {
      if (!current || rowOf.get(current).hidden) move(1);
      if (!current || rowOf.get(current).hidden) return;
      if (event.key === "e") {
        event.preventDefault();
        openEditor(current);
        return;
      }
      const id = current;
      decide(id, act);
      if (decisions.has(id)) move(1);
    } else return;
    event.preventDefault();
  }

  /* ---- out-of-place words (kind "word"): underlined in their sentence, an alternative picked becomes an edit ---- */

  const wordFlags = proposals.filter((p) => p.kind === "word");

  /** Under each out-of-place word's proposal: its alternatives, best first, and "your own word". */
  function addWordFlagControls() {
    for (const p of wordFlags) {
      const row = rowOf.get(p.id);
      if (!row) continue;
      const box = el("div", { class: "alternatives" });
      box.append(el("span", { class: "hint" }, "perhaps: "));
      for (const alt of p.evidence.alternatives || []) {
        const button = el("button", { type: "button", "data-alt": alt.word, "aria-pressed": "false",
          title: "put “" + alt.word + "” in place of “" + p.original + "” (language model gain +" + Number(alt.gain).toFixed(1) + ")" }, alt.word);
        button.addEventListener("click", (event) => {
          event.stopPropagation();
          pickAlternative(p.id, alt.word);
        });
        box.append(button, document.createTextNode(" "));
      }
      const own = el("button", { type: "button", "data-own": p.id, title: "type your own word (e)" }, "your own word…");
      own.addEventListener("click", (event) => {
        event.stopPropagation();
        openEditor(p.id);
      });
      box.append(own);
      row.querySelector(".proposed").after(box);
    }
  }

  /** Picking an alternative is an edit decision with that word; picking it again takes it back. */
  function pickAlternative(id, word) {
    const p = byId.get(id);
    const d = decisions.get(id);
    if (d && d.action === "edit" && d.text === word) {
      const next = new Map(decisions);
      next.delete(id);
      commit(next, id);
      say("“" + p.original + "” kept: the alternative is taken back.");
      return;
    }
    decide(id, "edit", word);
    say("“" + word + "” put in place of “" + p.original + "”: an edit like any other (Undo takes it back).");
  }

  /** Underline every out-of-place word that no decision changed, in its sentence as decided so far. */
  function underlineWordFlags() {
    for (const p of wordFlags) {
      const row = rowOf.get(p.id);
      const d = decisions.get(p.id);
      if (row) {
        for (const button of row.querySelectorAll("button[data-alt]")) {
          button.setAttribute("aria-pressed", String(!!d && d.action === "edit" && d.text === button.dataset.alt));
        }
      }
      if ((d && d.action !== "accept") || rewrites.has(p.sentence_index)) continue; // edited, dismissed or rewritten
      const block = sentenceBlocks.find((node) => Number(node.dataset.sentence) === p.sentence_index);
      const box = block && block.querySelector(".text");
      const s = sentences.get(p.sentence_index);
      if (box && s) underlineIn(box, p.start - s.start, p.end - s.start, p);
    }
  }

  /** Wrap [start, end) of the sentence shown in `box` (text nodes: unchanged text, <del>: deleted,
   *  <ins>: inserted) in an underline, when that stretch is unchanged text. */
  function underlineIn(box, start, end, p) {
    let offset = 0;
    for (const node of Array.from(box.childNodes)) {
      const length = node.nodeName === "INS" ? 0 : node.textContent.length;
      if (node.nodeType === Node.TEXT_NODE && offset <= start && end <= offset + length) {
        const word = node.splitText(start - offset);
        word.splitText(end - start);
        const mark = el("span", { class: "oop", "data-id": p.id, title: p.reason });
        word.replaceWith(mark);
        mark.append(word);
        mark.addEventListener("click", () => focusOn(p.id));
        return;
      }
      offset += length;
    }
  }

  addControls();
  if (!restore(recall(), "from this browser")) render();
  if (!current && rows.length) current = rows[0].dataset.id;
  render();
  detectServer();
})();
