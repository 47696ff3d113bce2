/* The explorer: filters and sorts the paper index (explorer.json) in the browser.
 * The filter form is the state; it is mirrored into the URL's query string, so a
 * filtered view is a link that can be shared. No libraries, nothing from another host. */
(() => {
  "use strict";

  const root = document.querySelector("[data-explorer]");
  if (!root) return;

  const form = root.querySelector("form");
  const tbody = root.querySelector("[data-rows]");
  const count = root.querySelector("[data-count]");
  const sortButtons = [...root.querySelectorAll("[data-sort]")];
  const indexUrl = new URL(root.dataset.index, document.baseURI);

  // Accents and superscripts fold to plain letters, so "r2" finds "R²-Gaussian".
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const compareText = new Intl.Collator(undefined, { sensitivity: "base", numeric: true }).compare;

  let papers = [];

  const sortKeys = {
    name: (p) => p.name,
    title: (p) => p.title,
    venue: (p) => p.venue,
    year: (p) => p.year,
    modalities: (p) => p.modalities.join(", "),
    categories: (p) => p.categoryText,
    code: (p) => (p.code ? 0 : 1),
  };

  function filtersFromForm() {
    const data = new FormData(form);
    const year = (name) => (data.get(name) === "" ? null : Number(data.get(name)));
    return {
      words: fold(String(data.get("text") || "")).split(/\s+/).filter(Boolean),
      modality: data.get("modality") || "",
      category: data.get("category") || "",
      from: year("from"),
      to: year("to"),
      code: data.get("code") === "1",
      sort: data.get("sort") || "",
      order: data.get("order") === "desc" ? -1 : 1,
    };
  }

  function matches(paper, f) {
    return (
      f.words.every((word) => paper.haystack.includes(word)) &&
      (!f.modality || paper.modalities.includes(f.modality)) &&
      (!f.category || paper.categories.includes(f.category)) &&
      (f.from === null || paper.year >= f.from) &&
      (f.to === null || paper.year <= f.to) &&
      (!f.code || Boolean(paper.code))
    );
  }

  function sorted(list, f) {
    const key = sortKeys[f.sort];
    if (!key) return list; // the index is already in the catalog's reading order
    return [...list].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const order = typeof x === "number" ? x - y : compareText(x, y);
      return order * f.order || a.position - b.position;
    });
  }

  function cell(row, content) {
    const td = row.insertCell();
    if (content instanceof Node) td.append(content);
    else td.textContent = content;
    return td;
  }

  function link(text, href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function renderRows(list) {
    const body = document.createElement("tbody");
    for (const p of list) {
      const row = body.insertRow();
      row.dataset.paper = p.id;
      cell(row, link(p.name, p.href));
      cell(row, p.title);
      cell(row, p.venue);
      cell(row, String(p.year));
      cell(row, p.modalities.join(", "));
      cell(row, p.categoryText);
      cell(row, p.code ? link("code", p.code) : "–");
    }
    tbody.replaceChildren(...body.childNodes);
  }

  function renderSortState(f) {
    for (const button of sortButtons) {
      const active = button.dataset.sort === f.sort;
      button.closest("th").setAttribute("aria-sort", active ? (f.order < 0 ? "descending" : "ascending") : "none");
    }
  }

  function writeUrl() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value !== "") params.append(name, value);
    const query = params.toString();
    history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    for (const element of form.elements) {
      if (!element.name || !params.has(element.name)) continue;
      if (element.type === "checkbox") element.checked = params.get(element.name) === element.value;
      else element.value = params.get(element.name);
    }
  }

  function update() {
    const f = filtersFromForm();
    const shown = sorted(papers.filter((p) => matches(p, f)), f);
    renderRows(shown);
    renderSortState(f);
    count.textContent = `${shown.length} of ${papers.length} papers`;
    writeUrl();
  }

  function prepare(index) {
    papers = index.papers.map((p, position) => {
      const categoryText = p.categories.map((c) => index.categories[c] || c).join(", ");
      const haystack = fold([p.name, p.title, p.venue, ...p.authors, ...p.modalities, categoryText].join(" "));
      return { ...p, position, categoryText, haystack, href: new URL(p.url, indexUrl).href };
    });
  }

  for (const button of sortButtons) {
    button.addEventListener("click", () => {
      const same = form.elements.sort.value === button.dataset.sort;
      form.elements.order.value = same && form.elements.order.value !== "desc" ? "desc" : "asc";
      form.elements.sort.value = button.dataset.sort;
      update();
    });
  }
  form.addEventListener("input", update); // selects and checkboxes fire "input" too
  form.addEventListener("submit", (event) => event.preventDefault());
  // "reset" fires before the fields are cleared; update once they are.
  form.addEventListener("reset", () => setTimeout(update));

  fetch(indexUrl)
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((index) => {
      prepare(index);
      readUrl();
      root.dataset.ready = "true";
      update();
    })
    .catch((error) => {
      count.textContent = `The paper index could not be loaded (${error.message}). Every paper is also on the taxonomy pages.`;
    });
})();
