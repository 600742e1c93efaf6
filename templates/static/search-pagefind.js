// reply-archive search: the hosted engine, Pagefind over http(s), with every result checked
// against its full text. Pagefind cuts Chinese into words with a dictionary when it indexes,
// the browser cuts the query with its own segmenter; when they disagree Pagefind returns
// pages that hold only the query's parts, or misses pages that hold it. So this engine asks
// Pagefind for candidates (the query, and the query without each one of its words in turn)
// and keeps the pages whose text contains every term as written.
(function (global) {
  "use strict";

  var S = global.ReplyArchiveSearch;
  var BATCH = 25; // the most candidates checked at once
  var MIN_BATCH = 5;
  var COUNT_CHECK = S.PAGE_SIZE; // results a count of another query checks (a page of them)
  var CACHED = 16; // checkers kept for queries asked again (the counts share the page's)
  var MAX_WORDS = 8;
  var MAX_FIELD_TERMS = 3; // terms looked up among the filter values (2^3 - 1 extra queries)
  var HAN_OR_DIGITS = /^[\p{Script=Han}\p{N}]+$/u;

  // `bundleList`: the URL of pagefind/bundles.json, the bundles' names, newest first (the
  // build merges Pagefind's shards into a few bundles, each a range of publication time).
  // `exact`: a function that loads the offline engine (search-offline.js), the answer to
  // a query whose Pagefind answer does not hold it (see `answerer`); optional.
  function HostedEngine(bundleList, root, exact) {
    this.bundleList = bundleList;
    this.root = root;
    this.mode = "pagefind";
    this.pagefind = null;
    this.names = [];
    this.exact = exact || null;
    this.answerers = {};
    this.distrusted = {};
  }

  HostedEngine.prototype.load = function () {
    var engine = this;
    return fetch(this.bundleList).then(function (response) {
      if (!response.ok) throw new Error("pagefind/bundles.json: " + response.status);
      return response.json();
    }).then(function (list) {
      if (!list.bundles || !list.bundles.length) throw new Error("pagefind/bundles.json: none");
      engine.names = list.bundles;
      engine.listed = list.filters || null;
      // One Pagefind (the newest bundle's pagefind.js: every bundle ships the same), its one
      // web worker and WebAssembly, with every other bundle merged into it. Each bundle
      // marks its pages with a filter of its own, `shard`, so that a query ordered by date
      // can be asked of one bundle at a time (a merged answer is ordered by score alone).
      var base = function (name) {
        return new URL(encodeURIComponent(name) + "/", engine.bundleList).href;
      };
      return import(base(list.bundles[0]) + "pagefind.js").then(function (pagefind) {
        return pagefind.options({
          excerptLength: 0,
          mergeFilter: { shard: list.bundles[0] },
        }).then(function () {
          return pagefind.init();
        }).then(function () {
          return Promise.all(list.bundles.slice(1).map(function (name) {
            return pagefind.mergeIndex(base(name), { mergeFilter: { shard: name } });
          }));
        }).then(function () {
          return pagefind;
        });
      });
    }).then(function (pagefind) {
      engine.pagefind = pagefind;
      return engine.filterValues();
    }).then(function (values) {
      engine.values = values;
      return engine;
    });
  };

  // The filters' values over every bundle: from bundles.json, which lists them (no filter
  // chunk is loaded for them), or from Pagefind.
  HostedEngine.prototype.filterValues = function () {
    if (this.listed) return Promise.resolve(this.listed);
    return this.filterChunks();
  };

  // Pagefind counts a query's filter values only from the filter chunks it has loaded: all
  // of them, once, before the first count it gives.
  HostedEngine.prototype.filterChunks = function () {
    if (!this.chunksLoaded) this.chunksLoaded = this.pagefind.filters().then(withoutShard);
    return this.chunksLoaded;
  };

  function withoutShard(filters) {
    var copy = Object.assign({}, filters);
    delete copy.shard;
    return copy;
  }

  // Which engine answers a query's terms: this one, or the offline one. Pagefind answers
  // a word with the pages of the indexed words it starts, or, when it starts none, with
  // those of the longest indexed word that starts it (pagefind_web's find_word_extensions:
  // 学 for 学校, 乌 for 乌鸦), pages that do not hold the query. So the answer to one
  // Chinese word, whose count is Pagefind's, is first tried on a page of its results and on
  // each bundle's best: when one does not hold the word, the offline index answers (as from file://: every reply that
  // holds it, from the pieces it needs), or, without one, every candidate is checked.
  // (An answer that is checked needs no trial: this engine answers it.)
  HostedEngine.prototype.answerer = function (query) {
    var terms = query.terms;
    if (query.range || !terms.length || !isTrusted(terms)) return Promise.resolve(this);
    var key = JSON.stringify(terms);
    var answerers = this.answerers;
    if (!answerers[key]) {
      answerers[key] = this.findAnswerer(terms, key).catch(function (error) {
        delete answerers[key]; // (a network error: tried again with the next query)
        throw error;
      });
    }
    return answerers[key];
  };

  HostedEngine.prototype.findAnswerer = function (terms, key) {
    var engine = this;
    if (this.plan({ terms: terms, filters: {} }, true).inFields) return Promise.resolve(this);
    if (this.distrusted[key]) return this.exactOr();
    // Each bundle is an index of its own, which may have words the term starts or not:
    // its best page is tried, with the first page of the merged answer.
    var text = terms.join(" ");
    var options = { filters: {}, sort: {} }; // (a checker's ask of the terms alone)
    return Promise.all([
      this.bundleAnswers(text, options),
      this.searchShards(text, options, ""),
    ]).then(function (answers) {
      var tried = {};
      var pages = answers[1].slice(0, S.PAGE_SIZE).concat(answers[0].map(function (list) {
        return list[0];
      })).filter(function (result) {
        if (!result || tried[result.key]) return false;
        tried[result.key] = true;
        return true;
      });
      return Promise.all(pages.map(function (result) { return result.data(); }));
    }).then(function (pages) {
      if (pages.every(function (page) { return holdsAll(page, terms); })) return engine;
      engine.distrusted[key] = true;
      return engine.exactOr();
    });
  };

  // The offline engine, or this one (checking every candidate) when there is none.
  HostedEngine.prototype.exactOr = function () {
    var engine = this;
    if (!this.exact) return Promise.resolve(this);
    return this.exact().catch(function () {
      return engine;
    });
  };

  // Whether Pagefind's answer to the terms is taken whole: its count, and its pages
  // checked only as they are shown.
  HostedEngine.prototype.trusts = function (terms) {
    return isTrusted(terms) && !this.distrusted[JSON.stringify(terms)];
  };

  HostedEngine.prototype.counts = function (query) {
    var engine = this;
    return this.answerer(query).then(function (answerer) {
      return answerer === engine ? engine.ownCounts(query) : answerer.counts(query);
    });
  };

  // For each filter, how many pages match the query and the other filters, by value: the
  // counts of the query without that filter (one query for the filters not chosen).
  HostedEngine.prototype.ownCounts = function (query) {
    var engine = this;
    var chosen = Object.keys(query.filters);
    var open = S.FILTERS.filter(function (key) { return chosen.indexOf(key) < 0; });
    var asks = [{ keys: open, filters: query.filters }].concat(chosen.map(function (key) {
      return { keys: [key], filters: S.withoutFilter(query.filters, key) };
    }));
    return Promise.all(asks.map(function (ask) {
      return engine.countsOf(Object.assign({}, query, { filters: ask.filters, sort: "" }));
    })).then(function (all) {
      var counts = S.emptyCounts();
      asks.forEach(function (ask, i) {
        ask.keys.forEach(function (key) {
          counts[key] = all[i][key] || {};
          if (all[i].partial) (counts.partial || (counts.partial = {}))[key] = true;
        });
      });
      return counts;
    });
  };

  // Pagefind's own counts when its results are the answer; else the counts of the results
  // checked so far, with `partial` when unchecked candidates remain (then they are lower
  // bounds). Only a page of results is checked for them: the page's own query shares its
  // checker with the results shown, so counting it fetches nothing more.
  HostedEngine.prototype.countsOf = function (query) {
    var plan = this.trustedPlan(query);
    if (plan.whole) {
      var ask = plan.asks[0];
      var pagefind = this.pagefind;
      return this.filterChunks().then(function () {
        return pagefind.search(ask.text, { filters: ask.filters });
      }).then(function (response) {
        return withoutShard(response.filters);
      });
    }
    var checker = this.checker(query);
    return checker.until(COUNT_CHECK).then(function () {
      var counts = checker.tally();
      if (!checker.complete()) counts.partial = true;
      return counts;
    });
  };

  // One query over every bundle. By relevance: every bundle's answer, by score, as
  // Pagefind merges them (its instances' results one after the other, sorted by score,
  // a stable sort). By date: each bundle is a range of publication time, so it is each
  // bundle's answer in its order, one bundle after the other (newest first, or last).
  HostedEngine.prototype.searchShards = function (text, options, sort) {
    return this.bundleAnswers(text, options).then(function (lists) {
      if (sort === "asc") lists = lists.slice().reverse();
      var all = [].concat.apply([], lists);
      if (!sort) all.sort(function (a, b) { return b.score - a.score; });
      return all;
    });
  };

  // Each bundle's answer (its pages alone: the filter `shard`), in the bundles' order;
  // the last few kept (a query's answer is tried before it is taken, see `answerer`).
  HostedEngine.prototype.bundleAnswers = function (text, options) {
    var key = JSON.stringify([text, options]);
    var cache = this.answers || (this.answers = { keys: [], byKey: {} });
    if (!cache.byKey[key]) {
      cache.keys.push(key);
      cache.byKey[key] = this.askBundles(text, options).catch(function (error) {
        delete cache.byKey[key];
        throw error;
      });
      if (cache.keys.length > CACHED) delete cache.byKey[cache.keys.shift()];
    }
    return cache.byKey[key];
  };

  HostedEngine.prototype.askBundles = function (text, options) {
    var pagefind = this.pagefind;
    return Promise.all(this.names.map(function (name) {
      var filters = Object.assign({}, options.filters, { shard: name });
      return pagefind.search(text, Object.assign({}, options, { filters: filters }));
    })).then(function (responses) {
      return responses.map(function (response) {
        return response.results.map(function (result) {
          // Pagefind's worker frees a result's data once the result object is collected:
          // the closure keeps it alive as long as the candidate.
          return {
            key: result.id,
            score: result.score,
            data: function () {
              return result.data();
            },
          };
        });
      });
    });
  };

  // The words the browser cuts the terms into, as Pagefind will.
  function wordsOf(terms) {
    if (typeof Intl.Segmenter !== "function") return terms.slice();
    var segmenter = new Intl.Segmenter("zh", { granularity: "word" });
    var words = [];
    terms.forEach(function (term) {
      Array.from(segmenter.segment(term)).forEach(function (part) {
        if (/[\p{L}\p{N}]/u.test(part.segment)) words.push(part.segment);
      });
    });
    return words;
  }

  // The texts to ask Pagefind for, for pages that hold every one of `terms`: the terms,
  // and when the browser cuts them into several words, the terms without each word in turn.
  function candidateTexts(terms, trusted) {
    if (terms.length === 0) return [null];
    var words = wordsOf(terms);
    var texts = [terms.join(" ")];
    if (!trusted && words.length > 1 && words.length <= MAX_WORDS) {
      words.forEach(function (_, left) {
        texts.push(words.filter(function (_, i) { return i !== left; }).join(" "));
      });
    }
    return texts;
  }

  function isTrusted(terms) {
    var words = wordsOf(terms);
    // One Chinese word: Pagefind matched it as the start of an indexed word, so every
    // result holds it as written, unless it fell back to a shorter word (`answerer`).
    return terms.length === 0 ||
      (words.length === 1 && words[0] === terms[0] && HAN_OR_DIGITS.test(words[0]));
  }

  // A Pagefind filter for the pages whose tag, bureau or region holds `term`, or null.
  HostedEngine.prototype.fieldFilter = function (term) {
    var values = this.values || {};
    var any = [];
    S.TEXT_FILTERS.forEach(function (key) {
      var matching = Object.keys(values[key] || {}).filter(function (value) {
        return S.fold(value).indexOf(term) >= 0;
      });
      if (matching.length) {
        var clause = {};
        clause[key] = { any: matching };
        any.push(clause);
      }
    });
    return any.length ? { any: any } : null;
  };

  // Every (text, filters) to ask Pagefind: the terms in the text, and for each set of
  // terms found among filter values, those as filters and the others in the text.
  HostedEngine.prototype.plan = function (query, trusted) {
    var engine = this;
    var terms = query.terms;
    var plan = candidateTexts(terms, trusted).map(function (text) {
      return { text: text, filters: query.filters };
    });
    var inFields = [];
    terms.forEach(function (term) {
      var filter = inFields.length < MAX_FIELD_TERMS ? engine.fieldFilter(term) : null;
      if (filter) inFields.push({ term: term, filter: filter });
    });
    for (var set = 1; set < 1 << inFields.length; set++) {
      var chosen = inFields.filter(function (_, i) { return set & (1 << i); });
      var rest = terms.filter(function (term) {
        return !chosen.some(function (field) { return field.term === term; });
      });
      var filters = Object.assign({}, query.filters, {
        all: chosen.map(function (field) { return field.filter; }),
      });
      candidateTexts(rest, false).forEach(function (text) {
        plan.push({ text: text, filters: filters });
      });
    }
    var years = this.yearsOf(query.range);
    if (years) {
      plan.forEach(function (ask) {
        ask.filters = Object.assign({}, ask.filters, {
          all: (ask.filters.all || []).concat([{ year: { any: years } }]),
        });
      });
    }
    return { asks: plan, inFields: inFields.length > 0 };
  };

  // The plan of a query, and whether Pagefind's answer to it is taken whole (`whole`: its
  // terms trusted, none found among filter values, no month range to check).
  HostedEngine.prototype.trustedPlan = function (query) {
    var trusted = this.trusts(query.terms);
    var plan = this.plan(query, trusted);
    plan.whole = trusted && !plan.inFields && !query.range;
    return plan;
  };

  // The years a month range touches, among the years indexed (Pagefind narrows by year,
  // the engine checks the month); null without a range.
  HostedEngine.prototype.yearsOf = function (range) {
    if (!range) return null;
    var from = range.from ? range.from.slice(0, 4) : "";
    var to = range.to ? range.to.slice(0, 4) : "9999";
    return Object.keys((this.values || {}).year || {}).filter(function (year) {
      return year >= from && year <= to;
    });
  };

  HostedEngine.prototype.search = function (query) {
    var engine = this;
    return this.answerer(query).then(function (answerer) {
      if (answerer !== engine) return answerer.search(query);
      var checker = engine.checker(query);
      return checker.until(0).then(function () {
        return checker.cursor();
      });
    });
  };

  // The checker of a query: the one made for the same query before, if it is still kept.
  HostedEngine.prototype.checker = function (query) {
    var key = JSON.stringify([query.terms, query.filters, query.sort, query.range]);
    var cache = this.checkers || (this.checkers = { keys: [], byKey: {} });
    if (cache.byKey[key]) return cache.byKey[key];
    var plan = this.trustedPlan(query);
    var checker = new Checker(this, plan.asks, query, plan.whole);
    cache.keys.push(key);
    cache.byKey[key] = checker;
    if (cache.keys.length > CACHED) delete cache.byKey[cache.keys.shift()];
    return checker;
  };

  // The candidates of a query and the checked results, found as they are needed: Pagefind
  // is asked one (text, filters) of the plan at a time, and the next one only once every
  // candidate so far is checked and more results are wanted; candidates are checked in
  // small batches, as many as the results still wanted call for. The results keep
  // Pagefind's order (its answer to the whole query first, then what each further ask
  // adds), which is the order of the answers of every ask put one after the other.
  // Ordered by date, every candidate is checked first, then sorted by date.
  function Checker(engine, asks, query, trusted) {
    this.engine = engine;
    this.asks = asks;
    this.asked = 0;
    this.terms = query.terms;
    this.sort = query.sort;
    this.range = query.range;
    this.trusted = trusted;
    this.checkAll = Boolean(query.sort) && !trusted;
    this.candidates = [];
    this.seen = {};
    this.checked = 0;
    this.kept = [];
    this.pending = Promise.resolve();
  }

  Checker.prototype.distrust = function () {
    this.trusted = false;
    this.checkAll = Boolean(this.sort);
    var key = JSON.stringify(this.terms);
    this.engine.distrusted[key] = true;
    delete this.engine.answerers[key]; // (the next query of them goes to the exact engine)
  };

  Checker.prototype.complete = function () {
    return this.asked >= this.asks.length && this.checked >= this.candidates.length;
  };

  // The number of results, once known: every candidate of Pagefind's one answer when it
  // is trusted, else the results kept once every candidate is checked; null before.
  Checker.prototype.total = function () {
    if (this.trusted) return this.asked > 0 ? this.candidates.length : null;
    return this.complete() ? this.kept.length : null;
  };

  // Resolves once `wanted` results are kept (every candidate, ordered by date) or none
  // is left to check.
  Checker.prototype.until = function (wanted) {
    var checker = this;
    var goal = this.checkAll && wanted > 0 ? Infinity : wanted;
    this.pending = this.pending.then(function loop() {
      if (checker.asked === 0) return checker.ask().then(loop);
      if (checker.kept.length >= goal || checker.complete()) return null;
      if (checker.checked < checker.candidates.length) return checker.check(goal).then(loop);
      return checker.ask().then(loop);
    });
    return this.pending;
  };

  Checker.prototype.ask = function () {
    var checker = this;
    var ask = this.asks[this.asked++];
    var sort = this.sort ? { published: this.sort } : {};
    return this.engine.searchShards(ask.text, { filters: ask.filters, sort: sort }, this.sort)
      .then(function (results) {
        results.forEach(function (result) {
          if (!checker.seen[result.key]) checker.candidates.push(result);
          checker.seen[result.key] = true;
        });
      });
  };

  // One batch: as many candidates as the results still wanted need at the share of
  // candidates kept so far (all of them when every candidate is wanted).
  Checker.prototype.check = function (goal) {
    var checker = this;
    var need = goal - this.kept.length;
    var rate = this.checked ? Math.max(this.kept.length / this.checked, 0.2) : 1;
    var size = this.trusted ? need : Math.max(MIN_BATCH, Math.ceil(need / rate));
    var batch = this.candidates.slice(this.checked, this.checked + Math.min(size, BATCH));
    this.checked += batch.length;
    return Promise.all(batch.map(function (candidate) {
      return candidate.data();
    })).then(function (pages) {
      pages.forEach(function (page) {
        var meta = page.meta || {};
        var holds = holdsAll(page, checker.terms) && S.inRange(meta.published, checker.range);
        // (a trusted answer is Pagefind's matches of one word: each holds it, or the
        // answer is not to be trusted, see `answerer`; no result that fails is shown)
        if (!holds && checker.trusted) checker.distrust();
        if (holds) {
          checker.kept.push({
            result: checker.engine.toResult(page, checker.terms),
            date: meta.published || "",
            filters: page.filters,
          });
        }
      });
      if (checker.checkAll && checker.complete()) sortByDate(checker.kept, checker.sort);
    });
  };

  Checker.prototype.tally = function () {
    var counts = S.emptyCounts();
    this.kept.forEach(function (item) {
      S.tally(counts, item.filters);
    });
    return counts;
  };

  // A reader's pass over the results (each search gets its own; they share the checking).
  Checker.prototype.cursor = function () {
    var checker = this;
    var handed = 0;
    var cursor = {
      total: null,
      done: false,
      next: function (count) {
        return checker.until(handed + count).then(function () {
          var page = checker.kept.slice(handed, handed + count).map(function (item) {
            return item.result;
          });
          handed += page.length;
          cursor.update();
          return page;
        });
      },
      finish: function () {
        return checker.until(Infinity).then(function () {
          cursor.update();
          return checker.kept.length;
        });
      },
      update: function () {
        cursor.total = checker.total();
        cursor.done = cursor.total !== null && handed >= cursor.total;
      },
      verifiedSoFar: function () {
        return checker.kept.length;
      },
      tally: function () {
        return checker.tally();
      },
    };
    cursor.update();
    return cursor;
  };

  function holdsAll(page, terms) {
    return S.containsAll(S.fold(page.content || "") + "\n" + S.filterText(page.filters), terms);
  }

  function sortByDate(items, sort) {
    items.sort(function (a, b) {
      var order = a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
      return sort === "asc" ? order : -order;
    });
  }

  HostedEngine.prototype.toResult = function (page, terms) {
    var path = (page.raw_url || page.url || "").replace(/^\/+/, "");
    var meta = page.meta || {};
    var body = S.bodyOf(page.content || "", meta);
    return S.makeResult(this.root, path, meta, body, page.filters, terms);
  };

  S.HostedEngine = HostedEngine;
})(window);
