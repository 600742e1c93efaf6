// reply-archive search page: Pagefind when the site is served over http(s), the offline
// index when Pagefind cannot load (the page was opened from disk). Both engines give the
// same results: replies whose text contains every term of the query as written.
(function (global) {
  "use strict";

  var S = global.ReplyArchiveSearch;
  var PAGE_SIZE = S.PAGE_SIZE;
  var MAX_SHOWN = 2000; // the most results an address may ask to show at once
  var SCROLL_SAVE = 200; // ms after scrolling stops before the position is kept
  var TYPING_PAUSE = 250; // ms after the last keystroke before the search runs
  var SORTS = { desc: "desc", asc: "asc" };

  function Page(container) {
    this.container = container;
    S.useFilters((container.getAttribute("data-filters") || "").split(" ").filter(Boolean));
    this.form = container.querySelector("form");
    this.input = container.querySelector("input[name=q]");
    this.status = container.querySelector(".search-status");
    this.list = container.querySelector(".search-results");
    this.more = container.querySelector(".search-more");
    this.note = container.querySelector(".search-note");
    this.reset = container.querySelector(".search-reset");
    this.fold = container.querySelector(".search-fold");
    this.foldSummary = container.querySelector(".search-fold-summary");
    this.root = container.getAttribute("data-root") || "";
    this.engine = null;
    this.cursor = null;
    this.generation = 0;
    this.typing = null;
    this.composing = false;
    this.wantedShown = PAGE_SIZE;
    this.scrolling = null;
    this.countsDue = false; // a query's counts, to be made once the filters are opened
  }

  Page.prototype.start = function () {
    var page = this;
    this.readLocation();
    this.say("正在加载搜索索引…");
    return this.chooseEngine().then(function (engine) {
      page.engine = engine;
      page.container.setAttribute("data-search-mode", engine.mode);
      page.describeEngine(engine);
      page.bind();
      return engine.filterValues().then(function (values) {
        page.filterCounts = values;
        page.fillFilters(values);
        return page.run().then(function () {
          page.restoreScroll();
        });
      });
    }, function () {
      page.container.setAttribute("data-search-mode", "none");
      page.say("本站没有可用的搜索索引，无法搜索。请按发文机构、主题或年份浏览。");
    });
  };

  // Each engine's script is loaded only when that engine is chosen: a page served over
  // http(s) does not fetch the offline engine, one opened from disk not Pagefind's. (A
  // theme's own search.html made from an older one loads both itself: then none is.)
  Page.prototype.chooseEngine = function () {
    var container = this.container;
    var root = this.root;
    var address = function (name) {
      return new URL(container.getAttribute(name), location.href).href;
    };
    var engine = function (name, script) {
      if (S[name]) return Promise.resolve();
      if (!container.hasAttribute(script)) return Promise.reject(new Error(script + "?"));
      return S.loadScript(address(script));
    };
    var loaded = null;
    var offline = function () {
      if (!loaded) {
        loaded = engine("OfflineEngine", "data-offline-engine").then(function () {
          return new S.OfflineEngine(address("data-offline-index"), root).load();
        });
      }
      return loaded;
    };
    if (location.protocol === "file:") return offline();
    // Over http(s), the offline engine answers the queries Pagefind cannot (loaded then).
    var exact = container.hasAttribute("data-offline-engine") ? offline : null;
    return engine("HostedEngine", "data-pagefind-engine").then(function () {
      return new S.HostedEngine(address("data-pagefind-bundles"), root, exact).load();
    }).catch(offline);
  };

  Page.prototype.describeEngine = function (engine) {
    if (engine.mode !== "offline" || !this.note) return;
    this.note.textContent = location.protocol === "file:"
      ? "离线搜索：从本地文件打开时使用随站点附带的索引。"
      : "Pagefind 索引无法加载，改用随站点附带的离线索引。";
    this.note.hidden = false;
  };

  // The state in the address: q, the filters, sort, and n (how many results are shown).
  Page.prototype.readLocation = function () {
    var params = new URLSearchParams(location.search);
    this.input.value = params.get("q") || "";
    var form = this.form;
    S.FILTERS.concat(["sort"]).forEach(function (name) {
      var select = form.elements[name];
      if (!select) return;
      var value = params.get(name) || "";
      select.setAttribute("data-wanted", value);
      if (select.options.length > 1) select.value = value;
      if (select.selectedIndex < 0) select.value = "";
    });
    ["from", "to"].forEach(function (name) {
      var select = form.elements[name];
      select.value = params.get(name) || "";
      if (select.selectedIndex < 0) select.value = "";
    });
    var shown = parseInt(params.get("n") || "", 10);
    this.wantedShown = shown > PAGE_SIZE ? Math.min(shown, MAX_SHOWN) : PAGE_SIZE;
  };

  Page.prototype.address = function (withShown) {
    var query = this.query();
    var params = new URLSearchParams();
    if (query.text) params.set("q", query.text);
    Object.keys(query.filters).forEach(function (key) {
      params.set(key, query.filters[key]);
    });
    if (query.range && query.range.from) params.set("from", query.range.from);
    if (query.range && query.range.to) params.set("to", query.range.to);
    if (query.sort) params.set("sort", query.sort);
    var shown = this.list.children.length;
    if (withShown && shown > PAGE_SIZE) params.set("n", String(shown));
    var search = params.toString();
    return location.pathname + (search ? "?" + search : "");
  };

  // A new query: a new entry in the history when submitted, else the same entry changed.
  Page.prototype.remember = function (push) {
    var address = this.address(false);
    if (address === location.pathname + location.search) return;
    this.rewrite(push ? "pushState" : "replaceState", null, address);
  };

  Page.prototype.rememberShown = function () {
    this.rewrite("replaceState", history.state, this.address(true));
  };

  Page.prototype.rememberScroll = function () {
    var state = Object.assign({}, history.state || {}, { scroll: Math.round(window.scrollY) });
    this.rewrite("replaceState", state, location.href);
  };

  Page.prototype.rewrite = function (how, state, address) {
    try {
      history[how](state, "", address);
    } catch (error) {
      // A browser may refuse to rewrite a file:// address; the search runs all the same.
    }
  };

  // Back from a result: the list is shown again to the same length, then scrolled back.
  Page.prototype.restoreScroll = function () {
    var state = history.state;
    if (state && typeof state.scroll === "number") window.scrollTo(0, state.scroll);
  };

  Page.prototype.bindHistory = function () {
    var page = this;
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    window.addEventListener("popstate", function () {
      page.readLocation();
      page.run().then(function () {
        page.restoreScroll();
      });
    });
    window.addEventListener("scroll", function () {
      if (page.scrolling !== null) clearTimeout(page.scrolling);
      page.scrolling = setTimeout(function () {
        page.scrolling = null;
        page.rememberScroll();
      }, SCROLL_SAVE);
    }, { passive: true });
    this.list.addEventListener("click", function (event) {
      if (event.target.closest("a")) page.rememberScroll();
    });
  };

  Page.prototype.bind = function () {
    var page = this;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      page.runNow(true);
    });
    this.bindTyping();
    this.bindHistory();
    this.form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT") page.runNow();
    });
    this.reset.addEventListener("click", function () {
      page.resetFilters();
    });
    this.more.addEventListener("click", function () {
      page.showMore(true);
    });
    // The counts of a query are made when the filters are shown (see `updateCounts`).
    this.fold.addEventListener("toggle", function () {
      if (page.fold.open && page.countsDue) page.updateCounts(page.query_, page.generation);
    });
  };

  // Results while typing: after a short pause, never while an input method is composing
  // (the search runs when the composition ends). Focus stays in the box.
  Page.prototype.bindTyping = function () {
    var page = this;
    this.input.addEventListener("compositionstart", function () {
      page.composing = true;
      page.cancelTyping();
    });
    this.input.addEventListener("compositionend", function () {
      page.composing = false;
      page.runSoon();
    });
    this.input.addEventListener("input", function (event) {
      if (page.composing || event.isComposing) return;
      page.runSoon();
    });
  };

  Page.prototype.cancelTyping = function () {
    if (this.typing !== null) clearTimeout(this.typing);
    this.typing = null;
  };

  Page.prototype.runSoon = function () {
    var page = this;
    this.cancelTyping();
    this.typing = setTimeout(function () {
      page.typing = null;
      if (page.composing) return;
      if (page.input.value.trim() === (page.query_ ? page.query_.text : "")) return;
      page.wantedShown = PAGE_SIZE;
      page.remember(false);
      page.run();
    }, TYPING_PAUSE);
  };

  Page.prototype.runNow = function (push) {
    this.cancelTyping();
    this.wantedShown = PAGE_SIZE;
    this.remember(Boolean(push));
    return this.run();
  };

  Page.prototype.fillFilters = function (values) {
    var form = this.form;
    S.FILTERS.forEach(function (key) {
      var select = form.elements[key];
      if (!select) return;
      var counts = values[key] || {};
      var names = Object.keys(counts).sort(key === "year" ? function (a, b) {
        return b.localeCompare(a);
      } : function (a, b) {
        return a.localeCompare(b, "zh-Hans-CN");
      });
      names.forEach(function (name) {
        var option = document.createElement("option");
        option.value = name;
        select.appendChild(option);
      });
      var wanted = select.getAttribute("data-wanted");
      if (wanted && names.indexOf(wanted) >= 0) select.value = wanted;
      select.closest(".search-filter").hidden = names.length === 0;
    });
    this.fillMonths(Object.keys(values.year || {}));
    var sort = form.elements.sort;
    if (sort && SORTS[sort.getAttribute("data-wanted")]) sort.value = sort.getAttribute("data-wanted");
    this.showCounts(values);
    this.fold.hidden = false;
    // Folded on a narrow screen (a phone shows the results first), open on a wide one.
    if (global.matchMedia && global.matchMedia("(min-width: 48em)").matches) this.fold.open = true;
  };

  // The months of the years indexed, newest first, for the date range (从 … 到).
  Page.prototype.fillMonths = function (years) {
    var form = this.form;
    var wanted = new URLSearchParams(location.search);
    years.filter(function (year) {
      return /^\d{4}$/.test(year);
    }).sort().reverse().forEach(function (year) {
      for (var month = 12; month >= 1; month--) {
        var value = year + "-" + (month < 10 ? "0" : "") + month;
        ["from", "to"].forEach(function (name) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = year + "年" + month + "月";
          form.elements[name].appendChild(option);
        });
      }
    });
    ["from", "to"].forEach(function (name) {
      var value = wanted.get(name) || "";
      form.elements[name].value = value;
      if (form.elements[name].selectedIndex < 0) form.elements[name].value = "";
    });
  };

  // Each value with how many results it would give with the query and the other filters;
  // a value that would give none says 0 and cannot be chosen (unless it is chosen).
  // While the hosted search has candidates left to check, a filter's counts are those of the
  // results checked so far: at least that many (≥ n), none disabled.
  // Without counts (`null`: not made while the filters are folded away), each value is
  // shown alone and can be chosen.
  Page.prototype.showCounts = function (counts) {
    var form = this.form;
    var partial = counts ? counts.partial || {} : {};
    this.countsPartial = Object.keys(partial).length > 0;
    S.FILTERS.forEach(function (key) {
      var select = form.elements[key];
      if (!select) return;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        if (!counts) {
          option.textContent = option.value;
          option.disabled = false;
          return;
        }
        var count = (counts[key] || {})[option.value] || 0;
        if (partial[key]) {
          option.textContent = option.value + (count ? "（≥" + count + "）" : "");
          option.disabled = false;
          return;
        }
        option.textContent = option.value + "（" + count + "）";
        option.disabled = count === 0 && option.value !== select.value;
      });
    });
    var query = this.query();
    var active = Object.keys(query.filters).length + (query.range ? 1 : 0);
    this.reset.disabled = active === 0;
    this.foldSummary.textContent = active ? "筛选（已选 " + active + " 项）" : "筛选";
  };

  // The counts of a query cost the hosted engine what its results do not (Pagefind counts
  // from every filter chunk of every bundle, about 170 kB at 10,000 replies): they are made
  // only while the filters are shown, or once they are opened (`countsDue`). A phone shows
  // them folded; a wide screen, open.
  Page.prototype.updateCounts = function (query, generation) {
    var page = this;
    var whole = query.terms.length === 0 && Object.keys(query.filters).length === 0 && !query.range;
    this.countsDue = !whole && !this.fold.open;
    if (this.countsDue) {
      this.showCounts(null);
      return Promise.resolve();
    }
    var counts = whole ? Promise.resolve(this.filterCounts) : this.engine.counts(query);
    return counts.then(function (values) {
      if (generation === page.generation) page.showCounts(values);
    });
  };

  Page.prototype.resetFilters = function () {
    var form = this.form;
    S.FILTERS.forEach(function (key) {
      if (form.elements[key]) form.elements[key].value = "";
    });
    form.elements.from.value = "";
    form.elements.to.value = "";
    // The button is disabled now that no filter is set: focus stays in the filters.
    if (document.activeElement === this.reset) this.firstFilter().focus();
    return this.runNow();
  };

  Page.prototype.firstFilter = function () {
    var shown = this.form.querySelector(".search-filter:not([hidden]) select");
    return shown || this.input;
  };

  Page.prototype.query = function () {
    var form = this.form;
    var filters = {};
    S.FILTERS.forEach(function (key) {
      var select = form.elements[key];
      if (select && select.value) filters[key] = select.value;
    });
    return {
      text: this.input.value.trim(),
      terms: S.parseTerms(this.input.value),
      filters: filters,
      sort: SORTS[form.elements.sort ? form.elements.sort.value : ""] || "",
      range: S.monthRange(form.elements.from.value, form.elements.to.value),
    };
  };

  Page.prototype.run = function () {
    var page = this;
    var query = this.query();
    var generation = ++this.generation;
    this.list.textContent = "";
    this.more.hidden = true;
    this.suggest(query);
    this.cursor = null;
    this.query_ = query;
    var counted = this.updateCounts(query, generation);
    if (query.terms.length === 0 && Object.keys(query.filters).length === 0 && !query.range) {
      this.say(query.text ? "请输入要查找的字词。" : "请输入搜索词，或选择筛选条件。");
      return counted;
    }
    this.say("正在搜索…");
    var shown = this.engine.search(query).then(function (cursor) {
      if (generation !== page.generation) return null;
      page.cursor = cursor;
      return page.showMore(false, page.wantedShown);
    });
    return Promise.all([shown, counted]);
  };

  Page.prototype.showMore = function (moveFocus, count) {
    var page = this;
    var generation = this.generation;
    var cursor = this.cursor;
    return cursor.next(count || PAGE_SIZE).then(function (results) {
      if (generation !== page.generation) return null;
      results.forEach(function (result, index) {
        var item = S.renderResult(result);
        page.list.appendChild(item);
        if (moveFocus && index === 0) item.querySelector("a").focus();
      });
      page.report();
      if (moveFocus) page.rememberShown();
      // Counts from the results checked so far follow the results checked for this page.
      if (page.countsPartial) return page.updateCounts(page.query_, generation);
      return null;
    });
  };

  Page.prototype.report = function () {
    var cursor = this.cursor;
    var shown = this.list.children.length;
    var query = this.query_;
    this.more.hidden = cursor.done;
    if (shown === 0 && cursor.total === 0) {
      var what = query.text ? "包含“" + query.text + "”的答复" : "符合条件的答复";
      var filtered = Object.keys(query.filters).length || query.range ? "（已按所选条件筛选）" : "";
      this.say("没有找到" + what + filtered + "。");
    } else if (cursor.total === null) {
      // Pagefind's other candidates are checked only when more results are asked for.
      this.say("找到 " + cursor.verifiedSoFar() + " 件以上答复，显示前 " + shown +
        " 件；其余的候选结果在点“显示更多结果”时核对。");
    } else {
      this.say("找到 " + cursor.total + " 件答复" + (shown < cursor.total ? "，显示前 " + shown + " 件。" : "。"));
    }
  };

  // A query that names a subject, bureau or place also offers that filter: the results
  // hold the words anywhere, the filter keeps only the replies filed under that name.
  Page.prototype.suggest = function (query) {
    var box = this.container.querySelector(".search-suggestion");
    var values = this.filterCounts || {};
    var page = this;
    box.textContent = "";
    box.hidden = true;
    [["tag", "主题"], ["bureau", "发文机构"], ["region", "地区"]].forEach(function (pair) {
      var count = (values[pair[0]] || {})[query.text];
      if (!count || query.filters[pair[0]] || !box.hidden) return;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "查看" + pair[1] + "为“" + query.text + "”的全部答复（" + count + " 件）";
      button.addEventListener("click", function () {
        page.form.elements[pair[0]].value = query.text;
        page.input.value = "";
        page.runNow();
      });
      box.appendChild(button);
      box.hidden = false;
    });
  };

  Page.prototype.say = function (text) {
    this.status.textContent = text;
  };

  var container = document.getElementById("search");
  if (container) {
    var page = new Page(container);
    global.ReplyArchiveSearch.page = page;
    global.ReplyArchiveSearch.ready = page.start();
  }
})(window);
