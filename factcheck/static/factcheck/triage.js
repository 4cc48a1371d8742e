/* Triage in the browser: keyboard shortcuts for any claim list, and on the article page the
 * claim card, "Add claim" from a text selection and re-cutting a claim.
 *
 * Article text never becomes markup here: every value is written with textContent or into
 * form inputs, and the server autoescapes everything it renders.
 *
 * Reuse on another page (e.g. the claim queue): mark the list with data-keys-list (and
 * data-keys-help="<id of a <dialog>>" for "?"), each row with data-keys-item tabindex="-1",
 * and inside a row the controls with data-key="a" (accept), "r" (reject), "o" (open). Then
 * load this file: j/k (or ↓/↑ on a focused row) move, a/r/o click those controls, Enter on a
 * focused row opens it. Shortcuts are ignored while typing in a field.
 */
(function () {
  "use strict";

  // --- Shared keyboard logic ------------------------------------------------------------------

  function typing(target) {
    return Boolean(
      target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  function visible(element) {
    return element && !element.closest("[hidden]");
  }

  /**
   * options.items()      the items in order (focusable elements)
   * options.current()    the current item, or null
   * options.select(item) make an item current (focus it, show it)
   * options.scope(item)  where to look for [data-key] controls (default: the item)
   * options.help         a <dialog> that "?" opens
   */
  function bindKeys(options) {
    const scope = options.scope || function (item) { return item; };
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) return;
      if (document.querySelector("dialog[open]")) return; // the dialog handles its own keys
      let key = event.key;
      if (key === "?") {
        if (options.help) {
          options.help.showModal();
          event.preventDefault();
        }
        return;
      }
      const items = options.items();
      const current = options.current();
      const onItem = current && current === document.activeElement;
      // Arrows scroll the page unless a claim has the focus.
      if (key === "ArrowDown" || key === "ArrowUp") {
        if (!onItem) return;
        key = key === "ArrowDown" ? "j" : "k";
      }
      if (key === "Enter") {
        if (!onItem || current.tagName === "A") return; // a link opens itself
        key = "o";
      }
      if (key === "j" || key === "k") {
        if (!items.length) return;
        let index = items.indexOf(current);
        if (index === -1) index = key === "j" ? 0 : items.length - 1;
        else index = Math.min(Math.max(index + (key === "j" ? 1 : -1), 0), items.length - 1);
        options.select(items[index]);
        event.preventDefault();
        return;
      }
      if (!current || key.length !== 1) return;
      const control = scope(current).querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (visible(control)) {
        event.preventDefault();
        control.click();
      }
    });
  }

  function bindLists() {
    const lists = document.querySelectorAll("[data-keys-list]");
    if (!lists.length) return;
    let current = null;
    const items = function () {
      return Array.from(document.querySelectorAll("[data-keys-list] [data-keys-item]"));
    };
    document.addEventListener("focusin", function (event) {
      const item = event.target.closest && event.target.closest("[data-keys-list] [data-keys-item]");
      if (item) current = item;
    });
    bindKeys({
      items: items,
      current: function () { return current && current.isConnected ? current : null; },
      select: function (item) {
        current = item;
        item.focus();
        item.scrollIntoView({ block: "nearest" });
      },
      help: document.getElementById(lists[0].dataset.keysHelp || "shortcut-help"),
    });
  }

  window.FactcheckKeys = { bind: bindKeys, bindLists: bindLists };

  // --- The article page -------------------------------------------------------------------

  function codePoints(text) {
    // The server counts offsets in code points; JavaScript strings count UTF-16 units.
    return Array.from(text).length;
  }

  function articlePage(card) {
    const home = card.parentElement;
    const help = document.getElementById("shortcut-help");
    const bar = document.getElementById("selection-bar");
    const status = document.getElementById("triage-status");
    let currentId = null; // the claim the card shows (hover or focus)
    let cursor = null; // the claim the keys act on (focus, click, j/k): hovering does not move it
    let hovering = false;
    let hideTimer = null;

    const bodyEl = function () { return document.querySelector("#triage [data-triage-body]"); };
    const linkOf = function (id) { return document.getElementById("claim-" + id); };
    const items = function () {
      return Array.from(document.querySelectorAll("#triage a.claim-mark[data-keys-item]"));
    };

    // The title tooltip is the fallback without this script; the card replaces it.
    function dropTitles() {
      document.querySelectorAll("#triage mark[title]").forEach(function (mark) {
        mark.removeAttribute("title");
      });
    }

    function field(name) { return card.querySelector('[data-field="' + name + '"]'); }

    function placeCard(link) {
      const container = bodyEl();
      if (!container) return;
      const rects = link.getClientRects();
      const rect = rects.length ? rects[rects.length - 1] : link.getBoundingClientRect();
      const outer = container.getBoundingClientRect();
      card.style.top = rect.bottom - outer.top + 6 + "px";
      const room = Math.max(outer.width - card.offsetWidth, 0);
      card.style.left = Math.min(Math.max(rect.left - outer.left, 0), room) + "px";
    }

    function showCard(link) {
      const mark = link.querySelector("mark");
      if (!mark) return;
      clearTimeout(hideTimer);
      const data = mark.dataset;
      const actions = (data.actions || "").split(" ");
      field("id").textContent = data.claim;
      field("speaker").textContent = data.speaker || "—";
      field("type").textContent = data.typeLabel || data.type;
      field("score").textContent = data.score;
      field("status").textContent = data.statusLabel || data.status;
      field("assignee").textContent = data.assignee || "—";
      field("open").href = link.href;
      card.querySelectorAll("form[data-card-action]").forEach(function (form) {
        form.hidden = actions.indexOf(form.dataset.cardAction) === -1;
        form.elements.claim.value = data.claim;
        form.elements.version.value = data.version;
      });
      const edit = card.querySelector('a[data-card-action="edit"]');
      if (edit) {
        edit.hidden = actions.indexOf("edit") === -1;
        edit.href = edit.dataset.editUrl + encodeURIComponent(data.claim) + "#edit-claim";
      }
      document.querySelectorAll('#triage a[aria-describedby="claim-card"]').forEach(function (other) {
        other.removeAttribute("aria-describedby");
      });
      // In the DOM right after the claim, so that Tab goes from the claim into its card.
      link.after(card);
      link.setAttribute("aria-describedby", "claim-card");
      card.hidden = false;
      currentId = data.claim;
      placeCard(link);
    }

    function hideCard() {
      clearTimeout(hideTimer);
      card.hidden = true;
      home.appendChild(card); // out of #triage, which htmx replaces
      currentId = null;
    }

    function hideSoon() {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(function () {
        const active = document.activeElement;
        const focused = card.contains(active) || (active && active.matches && active.matches("a.claim-mark"));
        if (!hovering && !focused) hideCard();
      }, 250);
    }

    function idOf(link) {
      const mark = link.querySelector("mark");
      return mark ? mark.dataset.claim : null;
    }

    function current() {
      if (cursor && !cursor.isConnected) cursor = linkOf(idOf(cursor)); // replaced by a swap
      return cursor;
    }

    function scope(link) {
      if (idOf(link) !== currentId) showCard(link); // the keys act on the cursor, not the hover
      return card;
    }

    function select(link) {
      cursor = link.matches("[data-keys-item]") ? link : linkOf(idOf(link)) || link;
      link.focus();
      link.scrollIntoView({ block: "nearest" });
      showCard(link);
    }

    document.addEventListener("focusin", function (event) {
      const link = event.target.closest && event.target.closest("#triage a.claim-mark");
      if (link) {
        cursor = linkOf(idOf(link)) || link;
        showCard(link);
      } else if (!card.contains(event.target)) hideSoon();
    });
    document.addEventListener("mouseover", function (event) {
      const link = event.target.closest && event.target.closest("#triage a.claim-mark");
      hovering = Boolean(link || card.contains(event.target));
      if (link && link.querySelector("mark").dataset.claim !== currentId) showCard(link);
      else if (!hovering && currentId) hideSoon();
    });
    document.addEventListener("click", function (event) {
      const link = event.target.closest && event.target.closest("#triage a.claim-mark");
      // A mouse click or tap selects the claim; Enter (a click with detail 0) or a modified
      // click opens its page as a link does.
      if (!link || event.detail === 0 || event.button !== 0) return;
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      if (!window.getSelection().isCollapsed) return; // the end of a text selection
      event.preventDefault();
      select(link);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !currentId || document.querySelector("dialog[open]")) return;
      const link = linkOf(currentId);
      hideCard();
      if (link) link.focus();
    });

    bindKeys({ items: items, current: current, select: select, scope: scope, help: help });

    // --- Selecting text: "Add claim" (and "Use selection" while editing a claim) -------------

    function segments() {
      const container = bodyEl();
      return container ? Array.from(container.querySelectorAll("[data-offset]")) : [];
    }

    /** The body offset of a selection boundary, or null outside the article text. */
    function offsetAt(node, offset) {
      const container = bodyEl();
      if (!container || !container.contains(node) || card.contains(node)) return null;
      const parent = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      const segment = parent.closest("[data-offset]");
      if (segment && container.contains(segment)) {
        const before = document.createRange();
        before.selectNodeContents(segment);
        before.setEnd(node, offset);
        return Number(segment.dataset.offset) + codePoints(before.toString());
      }
      // Between segments (e.g. at a paragraph's edge): the next segment's start.
      const point = document.createRange();
      point.setStart(node, offset);
      const all = segments();
      for (const candidate of all) {
        if (point.comparePoint(candidate, 0) >= 0) return Number(candidate.dataset.offset);
      }
      const last = all[all.length - 1];
      return last ? Number(last.dataset.offset) + codePoints(last.textContent) : null;
    }

    /** The text of body[start:end] as the page shows it; line breaks stand in for the
     *  skipped blank lines, so its length in code points matches the offsets. */
    function textBetween(start, end) {
      let text = "";
      let pos = start;
      for (const segment of segments()) {
        const chars = Array.from(segment.textContent);
        const from = Number(segment.dataset.offset);
        const to = from + chars.length;
        if (to <= pos || from >= end) continue;
        if (from > pos) text += "\n".repeat(from - pos);
        text += chars.slice(Math.max(pos, from) - from, Math.min(end, to) - from).join("");
        pos = Math.min(end, to);
      }
      return text;
    }

    let selected = null;

    function readSelection() {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return null;
      const range = selection.getRangeAt(0);
      let start = offsetAt(range.startContainer, range.startOffset);
      let end = offsetAt(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) return null;
      const chars = Array.from(textBetween(start, end));
      let head = 0;
      let tail = chars.length;
      while (head < tail && /\s/.test(chars[head])) head += 1;
      while (tail > head && /\s/.test(chars[tail - 1])) tail -= 1;
      if (head === tail) return null;
      end = start + tail;
      start += head;
      return { start: start, end: end, text: chars.slice(head, tail).join(""), rect: range.getBoundingClientRect() };
    }

    function hideBar() {
      if (bar) bar.hidden = true;
      selected = null;
    }

    function onSelection() {
      if (!bar) return;
      selected = readSelection();
      if (!selected) {
        bar.hidden = true;
        return;
      }
      const form = bar.querySelector("form[data-selection-form]");
      form.elements.start.value = selected.start;
      form.elements.end.value = selected.end;
      form.elements.text.value = selected.text;
      bar.hidden = false;
      bar.style.top = window.scrollY + selected.rect.bottom + 8 + "px";
      const left = window.scrollX + selected.rect.left;
      bar.style.left = Math.max(8, Math.min(left, window.scrollX + document.documentElement.clientWidth - bar.offsetWidth - 8)) + "px";
    }

    if (bar) {
      document.addEventListener("mousedown", function (event) {
        if (bar.contains(event.target)) return;
        const container = bodyEl();
        if (container && container.contains(event.target) && !card.contains(event.target)) hideCard();
      });
      document.addEventListener("mouseup", function (event) {
        if (!bar.contains(event.target)) setTimeout(onSelection, 0);
      });
      document.addEventListener("keyup", function (event) {
        if (event.shiftKey || event.key === "Shift") onSelection();
      });
      const use = bar.querySelector("[data-selection-use]");
      if (use) {
        use.addEventListener("click", function () {
          const form = document.getElementById(use.dataset.selectionUse);
          if (!form || !selected) return;
          form.elements.start.value = selected.start;
          form.elements.end.value = selected.end;
          form.elements.text.value = selected.text;
          form.requestSubmit();
        });
      }
    }

    // --- htmx: swap error responses too, keep the current claim after a swap ---------------

    let focusAfterSwap = null;
    let cursorAtSwap = null; // the claim the keys acted on when the swap began
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      const code = event.detail.xhr.status;
      if (code === 400 || code === 409) {
        // Refusals carry the fragment with the reason; show it instead of dropping it.
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
      if (event.detail.shouldSwap && event.detail.target && event.detail.target.id === "triage") {
        focusAfterSwap = currentId;
        cursorAtSwap = cursor ? idOf(cursor) : null;
        hideCard();
        hideBar();
      }
    });
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (!event.detail.target || event.detail.target.id !== "triage") return;
      dropTitles();
      const fragment = document.getElementById("triage");
      const id = (fragment && fragment.dataset.focus) || focusAfterSwap;
      const link = id && linkOf(id);
      // htmx keeps the focus on the swapped claim, so a quick "j" can move on before the swap
      // settles: then the person's move stands, and the settle does not pull them back.
      const now = current();
      const moved = now && cursorAtSwap && idOf(now) !== cursorAtSwap;
      if (link && !moved) select(link);
      focusAfterSwap = null;
      cursorAtSwap = null;
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      const code = event.detail.xhr.status;
      const message = code === 403 ? "You may not do that." : code === 404 ? "That claim is gone; reload the page." : "Something went wrong; nothing was changed. Reload the page.";
      status.textContent = "";
      const p = document.createElement("p");
      p.className = "message error";
      p.setAttribute("role", "alert");
      p.textContent = message;
      status.appendChild(p);
    });

    dropTitles();
    window.addEventListener("resize", function () {
      if (currentId && linkOf(currentId)) placeCard(linkOf(currentId));
    });
  }

  function init() {
    const card = document.getElementById("claim-card");
    if (card) articlePage(card);
    else bindLists();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
