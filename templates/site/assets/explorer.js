/* The explorer: filters, sorts, pages and exports the paper index (explorer.json) in the browser.
 *
 * The filter form is the state. It is mirrored into the URL (a filtered view is a link; each
 * change is a history entry, so Back undoes it). Only one page of rows is drawn, sort orders are
 * computed once per column, and typing is debounced, so a 10,000-paper catalog stays responsive.
 * The rows come first; the search text (explorer-search.json, mostly abstracts) is fetched once
 * they are drawn, so the page does not wait for it.
 * Record text reaches the page only through textContent and attribute properties, never as markup.
 * No libraries, nothing from another host. */
(() => {
  "use strict";

  const root = document.querySelector("[data-explorer]");
  if (!root) return;

  const PAGE_SIZE = 25; // about two screens: every drawn row costs style, layout and paint
  const TAGS_SHOWN = 24; // most frequent tags; the rest behind "Show all tags"
  const TYPING_DELAY_MS = 60; // at most one search per 60 ms: fast typing is coalesced

  const form = root.querySelector("form");
  const tbody = root.querySelector("[data-rows]");
  const count = root.querySelector("[data-count]");
  const facetsBox = root.querySelector("[data-facets]");
  const activeBox = root.querySelector("[data-active]");
  const yearError = root.querySelector("[data-year-error]");
  const pager = root.querySelector("[data-pager]");
  const exportBox = root.querySelector("[data-export]");
  const selectAll = root.querySelector("[data-select-page]");
  const sortButtons = [...root.querySelectorAll("[data-sort]")];
  const indexUrl = new URL(root.dataset.index, document.baseURI);
  const searchUrl = new URL(root.dataset.search, document.baseURI);

  // Accents and superscripts fold to plain letters, so "r2" finds "R²-Gaussian" (explorer.py folds the index alike).
  const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  const compareText = new Intl.Collator(undefined, { sensitivity: "base", numeric: true }).compare;

  let index = null;
  let papers = [];
  let texts = null; // per paper, the folded text a search looks in (explorer-search.json), once loaded
  let searchLoaded = null; // resolves when `texts` is set
  let facets = []; // {name, label, values: [{id, label, index}], indexOf, starts, ids, chips: bool}: see prepare
  let yearOf = new Int32Array(0); // per paper
  let hasCode = new Uint8Array(0); // per paper: 1 when it links its code
  const ranks = new Map(); // sort column -> Int32Array: per paper its key's rank (equal keys, equal rank)
  const orders = new Map(); // "sort:order" -> Int32Array of paper positions in that order
  const selected = new Set(); // paper ids ticked for export
  let shownPositions = []; // every match, in display order
  let typingTimer = 0;
  let lastTypingRender = -Infinity;
  let typingEntry = false; // the current history entry was made by typing: further typing replaces it
  let showAllTags = false;

  // --- small DOM helpers: text always goes through textContent --------------------------------
  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "text") node.textContent = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key in node) node[key] = value;
      else node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }

  // --- filters --------------------------------------------------------------------------------
  function years() {
    const value = (name) => {
      const raw = form.elements[name].value.trim();
      return raw === "" ? null : Number(raw);
    };
    const from = value("from");
    const to = value("to");
    let problem = "";
    for (const [name, year] of [["From", from], ["To", to]]) {
      if (year !== null && (!Number.isInteger(year) || year < index.years[0] || year > index.years[1])) {
        problem = `${name} must be a year between ${index.years[0]} and ${index.years[1]}.`;
      }
    }
    if (!problem && from !== null && to !== null && from > to) problem = "From must not be after To.";
    form.elements.from.setAttribute("aria-invalid", String(Boolean(problem) && from !== null));
    form.elements.to.setAttribute("aria-invalid", String(Boolean(problem) && to !== null));
    yearError.textContent = problem;
    yearError.hidden = !problem;
    return problem ? { from: null, to: null } : { from, to };
  }

  function filtersFromForm() {
    const data = new FormData(form);
    const chosen = (name) => new Set(data.getAll(name).map(String));
    return {
      words: fold(String(data.get("text") || "")).split(/\s+/).filter(Boolean),
      ...years(),
      code: data.get("code") === "1",
      authors: chosen("author"),
      datasets: chosen("dataset"),
      facets: facets.map((facet) => chosen(facet.name)),
      sort: data.get("sort") || "year",
      order: data.get("order") || (data.get("sort") ? "asc" : "desc"),
      page: Math.max(1, Number.parseInt(data.get("page"), 10) || 1),
    };
  }

  /* Papers whose text has every word. Typing usually extends the last query, so the last answer is
   * narrowed rather than the whole index searched again. */
  let lastText = { words: [], hits: null };
  function textHits(words) {
    if (!words.length) {
      lastText = { words, hits: null };
      return null;
    }
    // Safe when each old word lies inside a new one: then every new match was an old match.
    const narrows = lastText.hits && lastText.words.every((old) => words.some((w) => w.includes(old)));
    const hits = new Uint8Array(papers.length);
    for (let i = 0; i < papers.length; i++) {
      if (narrows && !lastText.hits[i]) continue;
      const text = texts[i];
      if (words.every((w) => text.includes(w))) hits[i] = 1;
    }
    lastText = { words, hits };
    return hits;
  }

  function passesFixed(i, f) {
    const p = papers[i];
    return (
      (f.from === null || yearOf[i] >= f.from) &&
      (f.to === null || yearOf[i] <= f.to) &&
      (!f.code || hasCode[i] === 1) &&
      (f.authors.size === 0 || p.authors.some((a) => f.authors.has(a))) &&
      (f.datasets.size === 0 || p.datasets.some((d) => f.datasets.has(d)))
    );
  }

  /* One pass over the papers: which match, and per facet value how many would match if that
   * facet alone were cleared (the count shown beside each value, as faceted search does).
   * Facet values are small integers here (see prepare): flags and counts are typed arrays. */
  function evaluate(f) {
    const matched = new Uint8Array(papers.length);
    const counts = facets.map((facet) => new Int32Array(facet.values.length));
    const wanted = facets.map((facet, k) => {
      if (!f.facets[k].size) return null; // this facet filters nothing
      const flags = new Uint8Array(facet.values.length);
      for (const id of f.facets[k]) if (facet.indexOf.has(id)) flags[facet.indexOf.get(id)] = 1;
      return flags;
    });
    const bump = (k, i) => {
      const { starts, ids } = facets[k];
      for (let j = starts[i]; j < starts[i + 1]; j++) counts[k][ids[j]]++;
    };
    const has = (k, i) => {
      const { starts, ids } = facets[k];
      for (let j = starts[i]; j < starts[i + 1]; j++) if (wanted[k][ids[j]]) return true;
      return false;
    };
    const hits = textHits(f.words);
    for (let i = 0; i < papers.length; i++) {
      if ((hits && !hits[i]) || !passesFixed(i, f)) continue;
      let failed = -1;
      let twice = false;
      for (let k = 0; k < facets.length && !twice; k++) {
        if (wanted[k] && !has(k, i)) {
          twice = failed >= 0;
          failed = k;
        }
      }
      if (twice) continue;
      if (failed >= 0) {
        bump(failed, i);
        continue;
      }
      matched[i] = 1;
      for (let k = 0; k < facets.length; k++) bump(k, i);
    }
    return { matched, counts };
  }

  // --- sorting: each order is computed once, then every filter reuses it -----------------------
  const sortKeys = {
    name: (p) => p.name,
    title: (p) => p.title,
    venue: (p) => p.venue,
    year: (p) => p.year,
    modalities: (p) => p.modalities.join(", "),
    categories: (p) => p.categoryText,
    code: (p) => (p.code ? 0 : 1),
  };

  /* Only the distinct keys are compared (a column like venue or year has a handful); each paper
   * then gets its key's rank, and both directions of the column are counting sorts over ranks. */
  function rankOf(sort) {
    if (!ranks.has(sort)) {
      const keys = papers.map(sortKeys[sort]);
      const numeric = typeof keys[0] === "number";
      const distinct = [...new Set(keys)].sort(numeric ? (a, b) => a - b : compareText);
      const rankOfKey = new Map();
      let rank = -1;
      distinct.forEach((key, i) => {
        if (i === 0 || (numeric ? key !== distinct[i - 1] : compareText(key, distinct[i - 1]) !== 0)) rank++;
        rankOfKey.set(key, rank);
      });
      ranks.set(sort, Int32Array.from(keys, (key) => rankOfKey.get(key)));
    }
    return ranks.get(sort);
  }

  function order(sort, direction) {
    if (!sortKeys[sort]) sort = "year";
    const id = `${sort}:${direction}`;
    if (!orders.has(id)) {
      const rank = rankOf(sort);
      const top = rank.reduce((a, b) => Math.max(a, b), -1);
      const bucket = direction === "desc" ? (i) => top - rank[i] : (i) => rank[i];
      const next = new Int32Array(top + 2); // where each bucket's next paper goes
      for (let i = 0; i < rank.length; i++) next[bucket(i) + 1]++;
      for (let b = 1; b < next.length; b++) next[b] += next[b - 1];
      const positions = new Int32Array(rank.length);
      for (let i = 0; i < rank.length; i++) positions[next[bucket(i)]++] = i; // ties keep the reading order
      orders.set(id, positions);
    }
    return orders.get(id);
  }

  // --- drawing ----------------------------------------------------------------------------------
  const COLUMNS = ["", "Name", "Title", "Venue", "Year", "Modalities", "Representation", "Code"];

  function row(p) {
    const tr = el("tr", { dataset: { paper: p.id } });
    const cells = [
      el("input", { type: "checkbox", checked: selected.has(p.id), ariaLabel: `Select ${p.name}`, dataset: { select: p.id } }),
      el("a", { href: hrefOf(p), text: p.name }),
      titleCell(p),
      p.venue,
      String(p.year),
      p.modalities.join(", "),
      p.categoryText,
      p.code ? el("a", { href: p.code, text: "code" }) : "–",
    ];
    cells.forEach((content, i) => {
      const td = el("td", { dataset: { label: COLUMNS[i] } });
      td.append(content);
      tr.append(td);
    });
    return tr;
  }

  function hrefOf(p) {
    return new URL(p.url, indexUrl).href;
  }

  function titleCell(p) {
    const box = el("span", { text: p.title });
    if (p.authors.length) {
      const line = el("span", { className: "explorer-authors" });
      p.authors.slice(0, 3).forEach((name, i) => {
        if (i) line.append(", ");
        line.append(el("a", { href: `?author=${encodeURIComponent(name)}`, text: name, dataset: { author: name } }));
      });
      if (p.authors.length > 3) line.append(" et al.");
      box.append(line);
    }
    return box;
  }

  function drawRows(f) {
    const pages = Math.max(1, Math.ceil(shownPositions.length / PAGE_SIZE));
    const page = Math.min(f.page, pages);
    const start = (page - 1) * PAGE_SIZE;
    const slice = shownPositions.slice(start, start + PAGE_SIZE).map((i) => papers[i]);
    tbody.replaceChildren(...slice.map(row));
    pager.replaceChildren();
    if (pages > 1) {
      const go = (target, label, disabled) =>
        el("button", { type: "button", className: "md-button", text: label, disabled, dataset: { page: target } });
      pager.append(
        go(page - 1, "Previous", page === 1),
        el("span", { text: `Page ${page} of ${pages}` }),
        go(page + 1, "Next", page === pages),
      );
    }
    selectAll.checked = slice.length > 0 && slice.every((p) => selected.has(p.id));
    return { page, pages, start, shown: slice.length };
  }

  function facetValue(facet, value, n, checked) {
    const label = el(
      "label",
      { className: facet.chips ? "explorer-chip" : "explorer-option" },
      el("input", { type: "checkbox", name: facet.name, value: value.id, checked }),
      el("span", { text: value.label }),
      el("span", { className: "explorer-n", text: String(n) }),
    );
    if (!n && !checked) label.classList.add("explorer-empty");
    return label;
  }

  function drawFacets(f, counts) {
    facets.forEach((facet, k) => {
      const box = facetsBox.querySelector(`[data-facet="${facet.name}"] [data-values]`);
      const chosen = f.facets[k];
      const n = counts[k];
      let values = facet.values;
      if (facet.chips) {
        values = values
          .filter((v) => n[v.index] || chosen.has(v.id))
          .sort((a, b) => n[b.index] - n[a.index] || compareText(a.label, b.label));
        const more = facetsBox.querySelector("[data-more-tags]");
        more.hidden = values.length <= TAGS_SHOWN;
        more.textContent = showAllTags ? "Show fewer tags" : `Show all ${values.length} tags`;
        more.setAttribute("aria-expanded", String(showAllTags));
        if (!showAllTags) values = values.filter((v, i) => i < TAGS_SHOWN || chosen.has(v.id));
      }
      box.replaceChildren(...values.map((v) => facetValue(facet, v, n[v.index], chosen.has(v.id))));
    });
  }

  function drawActive(f) {
    const chip = (name, value, label) =>
      el(
        "label",
        { className: "explorer-chip explorer-chip--active" },
        el("input", { type: "checkbox", name, value, checked: true }),
        el("span", { text: label }),
      );
    activeBox.replaceChildren(
      ...[...f.authors].map((a) => chip("author", a, `Author: ${a}`)),
      ...[...f.datasets].map((d) => chip("dataset", d, `Dataset: ${index.datasets[d] || d}`)),
    );
    activeBox.hidden = !activeBox.childElementCount;
  }

  function drawExport() {
    const n = selected.size || shownPositions.length;
    exportBox.querySelector("[data-export-what]").textContent = selected.size
      ? `${selected.size} selected`
      : `${shownPositions.length} matching`;
    for (const button of exportBox.querySelectorAll("button[data-format]")) button.disabled = n === 0;
    exportBox.querySelector("[data-clear-selection]").hidden = selected.size === 0;
  }

  let waitingForText = false;
  function render() {
    performance.mark("explorer-render-start");
    const f = filtersFromForm();
    if (f.words.length && !texts) {
      // Typed before the search text arrived: answer once it is there.
      count.textContent = "Loading the search text…";
      if (!waitingForText) {
        waitingForText = true;
        searchLoaded.then(() => {
          waitingForText = false;
          render();
        });
      }
      return;
    }
    const { matched, counts } = evaluate(f);
    shownPositions = [];
    for (const i of order(f.sort, f.order)) if (matched[i]) shownPositions.push(i);
    const { page, pages, start, shown } = drawRows(f);
    if (String(page) !== form.elements.page.value && f.page !== 1) form.elements.page.value = page > 1 ? page : "";
    drawFacets(f, counts);
    drawActive(f);
    drawExport();
    for (const button of sortButtons) {
      const active = button.dataset.sort === f.sort;
      button.closest("th").setAttribute("aria-sort", active ? (f.order === "desc" ? "descending" : "ascending") : "none");
    }
    const total = shownPositions.length;
    count.textContent =
      `${total} of ${papers.length} papers` + (pages > 1 ? ` · showing ${start + 1}–${start + shown}` : "");
    performance.measure("explorer-render", "explorer-render-start");
  }

  // --- URL and history ------------------------------------------------------------------------
  function queryOfForm() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (value !== "") params.append(name, value);
    const query = params.toString();
    return `${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
  }

  function remember(push) {
    const url = queryOfForm();
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    for (const hidden of facetsBox.querySelectorAll("input[type=hidden]")) hidden.remove();
    // Chips for authors and datasets exist only while chosen: make them from the URL first.
    drawActive({ authors: new Set(params.getAll("author")), datasets: new Set(params.getAll("dataset")) });
    for (const element of form.elements) {
      if (!element.name) continue;
      if (element.type === "checkbox") element.checked = params.getAll(element.name).includes(element.value);
      else if (params.has(element.name)) element.value = params.get(element.name);
      else if (element.type !== "button" && element.type !== "reset") element.value = "";
    }
    // Facet values not drawn yet (e.g. a tag outside the first ones) are kept as hidden inputs until drawn.
    for (const facet of facets) {
      const box = facetsBox.querySelector(`[data-facet="${facet.name}"] [data-values]`);
      const present = new Set([...box.querySelectorAll("input")].map((i) => i.value));
      for (const value of params.getAll(facet.name)) {
        if (!present.has(value)) box.append(el("input", { type: "hidden", name: facet.name, value }));
      }
    }
  }

  function commit({ push = true, keepPage = false } = {}) {
    if (!keepPage) form.elements.page.value = "";
    render();
    remember(push);
  }

  // --- export -----------------------------------------------------------------------------------
  function exported() {
    const positions = selected.size ? papers.map((_, i) => i).filter((i) => selected.has(papers[i].id)) : shownPositions;
    return positions.map((i) => papers[i]);
  }

  async function fetchText(name) {
    const response = await fetch(new URL(root.dataset[name], document.baseURI));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  }

  const CSV_COLUMNS = ["id", "name", "title", "authors", "venue", "year", "modalities", "categories", "tags",
    "datasets", "doi", "arxiv", "paper", "code", "page"];

  function csvCell(value) {
    let text = Array.isArray(value) ? value.join("; ") : value == null ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`; // a spreadsheet must not run a cell as a formula
    return `"${text.replace(/"/g, '""')}"`;
  }

  const exporters = {
    async csv(list) {
      const lines = [CSV_COLUMNS.join(",")];
      for (const p of list) {
        const values = { ...p, categories: p.categoryText, page: hrefOf(p) };
        lines.push(CSV_COLUMNS.map((c) => csvCell(values[c])).join(","));
      }
      return ["papers.csv", "text/csv;charset=utf-8", `${lines.join("\r\n")}\r\n`];
    },
    async bibtex(list) {
      const wanted = new Set(list.map((p) => p.id));
      const entries = (await fetchText("bib")).split(/\n(?=@)/).filter((entry) => {
        const key = /^@\w+\{([^,\s]+),/.exec(entry.trim());
        return key && wanted.has(key[1]);
      });
      return ["papers.bib", "application/x-bibtex;charset=utf-8", `${entries.map((e) => e.trim()).join("\n\n")}\n`];
    },
    async csl(list) {
      const wanted = new Set(list.map((p) => p.id));
      const items = JSON.parse(await fetchText("csl")).filter((item) => wanted.has(item.id));
      return ["papers.csl.json", "application/vnd.citationstyles.csl+json", `${JSON.stringify(items, null, 2)}\n`];
    },
  };

  async function runExport(format) {
    const status = exportBox.querySelector("[data-export-status]");
    try {
      const list = exported();
      const [name, type, text] = await exporters[format](list);
      download(name, type, text);
      status.textContent = `Exported ${list.length} papers as ${name}.`;
    } catch (error) {
      status.textContent = `The export failed (${error.message}).`;
    }
  }

  // --- set-up -----------------------------------------------------------------------------------
  function prepare(data) {
    index = data;
    const scheme = data.schemes[0];
    const shortOf = new Map(scheme ? scheme.values.map((v) => [v.id, v.short || v.label]) : []);
    papers = data.papers.map((row) => {
      const p = {};
      data.fields.forEach((field, f) => (p[field] = row[f]));
      return p;
    });
    for (const p of papers) {
      p.categoryText = scheme ? (p[scheme.key] || []).map((c) => shortOf.get(c) || c).join(", ") : "";
    }
    yearOf = Int32Array.from(papers, (p) => p.year);
    hasCode = Uint8Array.from(papers, (p) => (p.code ? 1 : 0));
    index.years = papers.length ? [yearOf.reduce((a, b) => Math.min(a, b)), yearOf.reduce((a, b) => Math.max(a, b))] : [0, 0];
    const tagSet = [...new Set(papers.flatMap((p) => p.tags))].sort(compareText);
    facets = [
      { name: "modality", label: "Modality", values: data.modalities.map((m) => ({ id: m, label: m })), of: (p) => p.modalities },
      ...data.schemes
        .filter((s) => papers.some((p) => Array.isArray(p[s.key])))
        .map((s) => ({ name: s.key, label: s.label, values: s.values.map((v) => ({ id: v.id, label: v.label })), of: (p) => p[s.key] || [] })),
      { name: "tag", label: "Tags", values: tagSet.map((t) => ({ id: t, label: t })), of: (p) => p.tags, chips: true },
    ];
    facets.forEach(numberValues);
    facetsBox.replaceChildren(
      ...facets.map((facet) => {
        const box = el(
          "fieldset",
          { className: `explorer-facet${facet.chips ? " explorer-facet--chips" : ""}`, dataset: { facet: facet.name } },
          el("legend", { text: facet.label }),
          el("div", { className: "explorer-values", dataset: { values: "" } }),
        );
        if (facet.chips) box.append(el("button", { type: "button", className: "explorer-more", dataset: { moreTags: "" } }));
        return box;
      }),
    );
  }

  /* A facet's values as small integers (value.index): paper i has the values ids[starts[i]] up to
   * ids[starts[i + 1] - 1], so a filter pass reads typed arrays instead of strings and sets. */
  function numberValues(facet) {
    facet.values.forEach((value, index) => (value.index = index));
    facet.indexOf = new Map(facet.values.map((value) => [value.id, value.index]));
    facet.starts = new Int32Array(papers.length + 1);
    const ids = [];
    papers.forEach((p, i) => {
      for (const id of facet.of(p)) if (facet.indexOf.has(id)) ids.push(facet.indexOf.get(id));
      facet.starts[i + 1] = ids.length;
    });
    facet.ids = Int32Array.from(ids);
  }

  function listen() {
    // The facets fill a phone's screen: folded there, open on wider screens and whenever one is in use.
    const facetsFold = root.querySelector("[data-facets-box]");
    const wide = window.matchMedia("(min-width: 700px)").matches;
    if (facetsFold && (wide || facetsBox.querySelector("input:checked, input[type=hidden]"))) facetsFold.open = true;
    form.addEventListener("input", (event) => {
      if (event.target.name !== "text" && event.target.name !== "from" && event.target.name !== "to") return;
      // A key after a pause is answered at once; keys that follow within TYPING_DELAY_MS of the last
      // search wait for the end of that interval, so a burst costs one search per interval.
      clearTimeout(typingTimer);
      const wait = Math.max(0, lastTypingRender + TYPING_DELAY_MS - performance.now());
      typingTimer = setTimeout(() => {
        lastTypingRender = performance.now();
        commit({ push: !typingEntry });
        typingEntry = true;
      }, wait);
    });
    form.addEventListener("change", (event) => {
      if (event.target.dataset.select !== undefined || event.target === selectAll) return;
      if (event.target.type !== "checkbox") return; // text and year fields commit through "input"
      typingEntry = false;
      commit();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    // "reset" fires before the fields are cleared; commit once they are.
    form.addEventListener("reset", () => {
      setTimeout(() => {
        typingEntry = false;
        activeBox.replaceChildren();
        for (const hidden of facetsBox.querySelectorAll("input[type=hidden]")) hidden.remove();
        commit();
      });
    });
    for (const button of sortButtons) {
      button.addEventListener("click", () => {
        const f = filtersFromForm();
        const same = f.sort === button.dataset.sort;
        const fresh = button.dataset.sort === "year" ? "desc" : "asc";
        form.elements.order.value = same ? (f.order === "desc" ? "asc" : "desc") : fresh;
        form.elements.sort.value = button.dataset.sort;
        typingEntry = false;
        commit({ push: true, keepPage: false });
      });
    }
    pager.addEventListener("click", (event) => {
      const target = event.target.closest("[data-page]");
      if (!target) return;
      form.elements.page.value = target.dataset.page > 1 ? target.dataset.page : "";
      typingEntry = false;
      commit({ keepPage: true });
      count.scrollIntoView({ block: "nearest" });
    });
    facetsBox.addEventListener("click", (event) => {
      if (!event.target.closest("[data-more-tags]")) return;
      showAllTags = !showAllTags;
      render();
    });
    tbody.addEventListener("change", (event) => {
      const id = event.target.dataset.select;
      if (id === undefined) return;
      if (event.target.checked) selected.add(id);
      else selected.delete(id);
      render();
    });
    tbody.addEventListener("click", (event) => {
      const author = event.target.closest("a[data-author]");
      if (!author || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      drawActive({ authors: new Set([...filtersFromForm().authors, author.dataset.author]), datasets: filtersFromForm().datasets });
      typingEntry = false;
      commit();
    });
    selectAll.addEventListener("change", () => {
      for (const box of tbody.querySelectorAll("input[data-select]")) {
        if (selectAll.checked) selected.add(box.dataset.select);
        else selected.delete(box.dataset.select);
      }
      render();
    });
    exportBox.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.format) runExport(button.dataset.format);
      else if (button.dataset.selectMatching !== undefined) {
        for (const i of shownPositions) selected.add(papers[i].id);
        render();
      } else if (button.dataset.clearSelection !== undefined) {
        selected.clear();
        render();
      }
    });
    window.addEventListener("popstate", () => {
      typingEntry = false;
      readUrl();
      render();
    });
  }

  async function fetchJson(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  /* The search text, after the first page is drawn. Without it (a failed download) search still
   * covers what the rows hold: names, titles, authors, venues, modalities, tags and datasets. */
  function loadSearchText() {
    const fromRows = () =>
      papers.map((p) => fold([p.name, p.title, ...p.authors, p.venue, ...p.modalities, ...p.tags, ...p.datasets].join(" ")));
    return fetchJson(searchUrl)
      .then((list) => (Array.isArray(list) && list.length === papers.length ? list : fromRows()))
      .catch(fromRows)
      .then((list) => {
        texts = list;
        performance.mark("explorer-search-ready");
        warmSorts();
      });
  }

  /* Ranking a text column compares up to 10,000 strings: done while the page is idle, one column
   * per idle period, so a click on a heading finds its order ready. */
  function warmSorts() {
    const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 50));
    const pending = Object.keys(sortKeys).filter((sort) => !ranks.has(sort));
    const next = () => {
      const sort = pending.shift();
      if (sort === undefined) return;
      rankOf(sort);
      idle(next);
    };
    idle(next);
  }

  performance.mark("explorer-start");
  fetchJson(indexUrl)
    .then((data) => {
      prepare(data);
      searchLoaded = new Promise((resolve) => {
        // After the first page is painted: the frame, then a task.
        requestAnimationFrame(() => setTimeout(() => loadSearchText().then(resolve), 0));
      });
      readUrl();
      listen();
      render();
      root.classList.add("explorer--ready");
      root.dataset.ready = "true";
      performance.mark("explorer-ready");
    })
    .catch((error) => {
      count.textContent = `The paper index could not be loaded (${error.message}). The newest papers are listed below.`;
    });
})();
