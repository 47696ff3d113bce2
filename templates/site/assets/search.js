/* The header's search box, answered by Pagefind's static index (pagefind/ at the site root).

   Nothing of the index is fetched until the reader focuses the box; then Pagefind fetches
   only the chunks a query needs. Result text is page text: it is only ever set as text,
   never as markup (the <mark> highlights are rebuilt as elements). */
(() => {
  "use strict";
  const box = document.querySelector("[data-site-search]");
  if (!box) return;
  const toggle = document.getElementById("__search");
  const form = box.querySelector("form");
  const input = form.elements.query;
  const meta = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const more = box.querySelector("[data-more]");
  const PAGE_SIZE = 10; // results whose excerpts load at once; "More results" loads the next ones
  // The site root as an absolute path ("/" or "/sub/"), from the page's relative path to it.
  const root = new URL(`${box.dataset.root}/`, document.baseURI).pathname;
  const bundle = new URL(box.dataset.index, document.baseURI).href;

  let pagefind = null; // the loaded module, once requested
  let generation = 0; // bumped on every query, so a late answer to an old query is dropped
  let pending = []; // results of the current query not shown yet

  function load() {
    pagefind ??= import(bundle).then(async (module) => {
      // In the page's own thread: starting Pagefind's web worker costs more than the small searches it would move.
      await module.options({ baseUrl: root, excerptLength: 20, noWorker: true });
      await module.init();
      return module;
    });
    return pagefind;
  }

  function open(state) {
    if (toggle && toggle.checked !== state) toggle.checked = state;
  }

  function countText(count) {
    if (count === 0) return box.dataset.none;
    if (count === 1) return box.dataset.one;
    return box.dataset.other.replace("#", count.toLocaleString("en"));
  }

  // Pagefind's excerpt is HTML-escaped page text with <mark> around the matches. Parse it inertly
  // and keep only text and marks, so nothing from a page can become markup here.
  function excerpt(html) {
    const fragment = document.createDocumentFragment();
    const parsed = new DOMParser().parseFromString(html, "text/html").body;
    for (const node of parsed.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.append(mark);
      } else {
        fragment.append(node.textContent);
      }
    }
    return fragment;
  }

  function resultItem(data) {
    const item = document.createElement("li");
    item.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const title = document.createElement("h1");
    title.textContent = data.meta.title || data.url;
    const text = document.createElement("p");
    text.append(excerpt(data.excerpt));
    article.append(title, text);
    link.append(article);
    item.append(link);
    return item;
  }

  // Each result's excerpt is a separate small fetch: all start at once, and each is shown as soon as it
  // and those above it have arrived, so the first result does not wait for the tenth.
  async function showMore(current) {
    const batch = pending.splice(0, PAGE_SIZE).map((result) => result.data());
    more.hidden = true;
    for (const data of batch) {
      const loaded = await data;
      if (current !== generation) return;
      list.append(resultItem(loaded));
    }
    more.hidden = pending.length === 0;
  }

  function reset(message) {
    pending = [];
    list.replaceChildren();
    more.hidden = true;
    meta.textContent = message;
  }

  async function search() {
    const current = ++generation;
    const query = input.value.trim();
    if (!query) {
      reset(box.dataset.placeholder);
      return;
    }
    const module = await load();
    // Wait for a pause in typing: each search fetches its own index chunk and excerpts.
    const answer = await module.debouncedSearch(query, {}, 150);
    if (answer === null || current !== generation) return; // a newer query superseded this one
    reset(countText(answer.results.length));
    pending = answer.results;
    await showMore(current);
  }

  function report(error) {
    reset("Search is unavailable");
    console.error("site search:", error);
  }

  input.addEventListener("focus", () => {
    open(true);
    load().catch(report);
  });
  input.addEventListener("input", () => search().catch(report));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      open(false);
      input.blur();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) first.click();
  });
  form.addEventListener("reset", () => {
    generation++;
    reset(box.dataset.placeholder);
    input.focus();
  });
  more.addEventListener("click", () => showMore(generation).catch(report));
  // The header's magnifier (narrow screens) opens the dialog through the toggle: put the caret in the box.
  toggle?.addEventListener("change", () => {
    if (toggle.checked) input.focus();
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
})();
