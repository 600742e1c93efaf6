// reply-archive search: the hosted engine, Pagefind over http(s), with every result checked
// against its full text. Pagefind cuts Chinese into words with a dictionary when it indexes,
// the browser cuts the query with its own segmenter; when they disagree Pagefind returns
// pages that hold only the query's parts, or misses pages that hold it. So this engine asks
// Pagefind for candidates (the query, and the query without each one of its words in turn)
// and keeps the pages whose text contains every term as written.
(function (global) {
  "use strict";

  var S = global.ReplyArchiveSearch;
  var BATCH = 25;
  var MAX_WORDS = 8;
  var HAN_OR_DIGITS = /^[\p{Script=Han}\p{N}]+$/u;

  // `shardList`: the URL of pagefind/shards.json, the bundles' names, newest year first.
  function HostedEngine(shardList, root) {
    this.shardList = shardList;
    this.root = root;
    this.mode = "pagefind";
    this.shards = [];
  }

  HostedEngine.prototype.load = function () {
    var engine = this;
    return fetch(this.shardList).then(function (response) {
      if (!response.ok) throw new Error("pagefind/shards.json: " + response.status);
      return response.json();
    }).then(function (list) {
      if (!list.shards || !list.shards.length) throw new Error("pagefind/shards.json: no shard");
      // Each bundle's pagefind.js has its own URL, so each is a module of its own that
      // finds its bundle beside it (Pagefind's mergeIndex would merge the results by
      // score alone, losing the order by date).
      return Promise.all(list.shards.map(function (name) {
        var url = new URL(encodeURIComponent(name) + "/pagefind.js", engine.shardList).href;
        return import(url).then(function (pagefind) {
          return pagefind.options({ excerptLength: 0 }).then(function () {
            return pagefind;
          });
        });
      }));
    }).then(function (shards) {
      engine.shards = shards;
      return engine;
    });
  };

  HostedEngine.prototype.filterValues = function () {
    return Promise.all(this.shards.map(function (pagefind) {
      return pagefind.filters();
    })).then(sumCounts);
  };

  function sumCounts(shardFilters) {
    var merged = {};
    shardFilters.forEach(function (filters) {
      Object.keys(filters).forEach(function (name) {
        var counts = merged[name] || (merged[name] = {});
        Object.keys(filters[name]).forEach(function (value) {
          counts[value] = (counts[value] || 0) + filters[name][value];
        });
      });
    });
    return merged;
  }

  // One query over every shard. By relevance: by Pagefind's scores, as its own merge of
  // bundles does. By date: each shard is one year of publication, so it is each shard's
  // results in its order, one shard after the other.
  HostedEngine.prototype.searchShards = function (text, options, sort) {
    return Promise.all(this.shards.map(function (pagefind) {
      return pagefind.search(text, options);
    })).then(function (responses) {
      var lists = responses.map(function (response, shard) {
        return response.results.map(function (result) {
          // Pagefind's worker frees a result's data once the result object is collected:
          // the closure keeps it alive as long as the candidate.
          return {
            key: shard + ":" + result.id,
            score: result.score,
            data: function () {
              return result.data();
            },
          };
        });
      });
      if (sort === "asc") lists.reverse();
      var results = [].concat.apply([], lists);
      if (!sort) {
        results.sort(function (a, b) {
          return b.score - a.score;
        });
      }
      return results;
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

  HostedEngine.prototype.search = function (query) {
    var engine = this;
    var terms = query.terms;
    var options = { filters: query.filters, sort: query.sort ? { published: query.sort } : {} };
    var words = wordsOf(terms);
    // One Chinese word: Pagefind matched it as the start of an indexed word, so every
    // result holds it as written.
    var trusted = terms.length === 0 ||
      (words.length === 1 && words[0] === terms[0] && HAN_OR_DIGITS.test(words[0]));
    var queries = [terms.length ? terms.join(" ") : null];
    if (!trusted && words.length > 1 && words.length <= MAX_WORDS) {
      words.forEach(function (_, left) {
        queries.push(words.filter(function (_, i) { return i !== left; }).join(" "));
      });
    }
    return Promise.all(queries.map(function (text) {
      return engine.searchShards(text, options, query.sort);
    })).then(function (responses) {
      var seen = {};
      var candidates = [];
      responses.forEach(function (results) {
        results.forEach(function (result) {
          if (!seen[result.key]) candidates.push(result);
          seen[result.key] = true;
        });
      });
      return engine.cursor(candidates, terms, trusted, query.sort);
    });
  };

  // Results one batch at a time. Checked candidates keep Pagefind's order (the pages that
  // matched the whole query first); ordered by date, every candidate is checked first.
  HostedEngine.prototype.cursor = function (candidates, terms, trusted, sort) {
    var engine = this;
    var kept = [];
    var checked = 0;
    var handed = 0;
    var pending = Promise.resolve();
    var checkAll = Boolean(sort) && !trusted;

    function checkBatch() {
      var batch = candidates.slice(checked, checked + BATCH);
      checked += batch.length;
      return Promise.all(batch.map(function (candidate) {
        return candidate.data();
      })).then(function (pages) {
        pages.forEach(function (page) {
          if (trusted || S.containsAll(S.fold(page.content || ""), terms)) {
            kept.push({ result: engine.toResult(page, terms), date: (page.meta || {}).published || "" });
          }
        });
        if (checkAll && checked >= candidates.length) sortByDate(kept, sort);
      });
    }

    function checkUntil(wanted) {
      pending = pending.then(function loop() {
        if (kept.length >= wanted || checked >= candidates.length) return null;
        return checkBatch().then(loop);
      });
      return pending;
    }

    var cursor = {
      total: trusted || candidates.length === 0 ? candidates.length : null,
      done: candidates.length === 0,
      next: function (count) {
        return checkUntil(checkAll ? Infinity : handed + count).then(function () {
          var page = kept.slice(handed, handed + count).map(function (item) {
            return item.result;
          });
          handed += page.length;
          cursor.update();
          return page;
        });
      },
      finish: function () {
        return checkUntil(Infinity).then(function () {
          cursor.update();
          return kept.length;
        });
      },
      update: function () {
        if (checked >= candidates.length) cursor.total = kept.length;
        cursor.done = handed >= (cursor.total === null ? Infinity : cursor.total);
      },
      verifiedSoFar: function () {
        return kept.length;
      },
    };
    return cursor;
  };

  function sortByDate(items, sort) {
    items.sort(function (a, b) {
      var order = a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
      return sort === "asc" ? order : -order;
    });
  }

  HostedEngine.prototype.toResult = function (page, terms) {
    var path = (page.raw_url || page.url || "").replace(/^\/+/, "");
    return S.makeResult(this.root, path, page.meta || {}, page.content || "", terms);
  };

  S.HostedEngine = HostedEngine;
})(window);
