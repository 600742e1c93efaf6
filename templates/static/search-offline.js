// reply-archive search: the offline engine, for pages opened from disk (file://), where
// Pagefind cannot load. Its index is a plain script (search/offline-index.js) that sets
// window.ReplyArchiveOffline: gzip-compressed JSON chunks, newest replies first.
(function (global) {
  "use strict";

  var S = global.ReplyArchiveSearch;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("cannot load " + src));
      };
      document.head.appendChild(script);
    });
  }

  function decodeChunk(base64) {
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  function OfflineEngine(indexUrl, root) {
    this.indexUrl = indexUrl;
    this.root = root;
    this.mode = "offline";
    this.replies = [];
    this.info = null;
  }

  OfflineEngine.prototype.load = function () {
    var engine = this;
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot read the offline index"));
    }
    return loadScript(this.indexUrl)
      .then(function () {
        var data = global.ReplyArchiveOffline;
        if (!data || !data.chunks) throw new Error("the offline index is empty");
        engine.info = data;
        return Promise.all(data.chunks.map(decodeChunk));
      })
      .then(function (chunks) {
        chunks.forEach(function (chunk) {
          chunk.forEach(function (reply) {
            reply.fh = S.fold(reply.h || "");
            reply.fb = S.fold(reply.b || "");
            reply.ff = S.filterText(reply.f);
            engine.replies.push(reply);
          });
        });
        return engine;
      });
  };

  OfflineEngine.prototype.filterValues = function () {
    var values = S.emptyCounts();
    this.replies.forEach(function (reply) {
      S.tally(values, reply.f);
    });
    return Promise.resolve(values);
  };

  // For each filter, how many replies match the query and the other filters, by value.
  OfflineEngine.prototype.counts = function (query) {
    var counts = S.emptyCounts();
    var keys = Object.keys(query.filters);
    this.replies.forEach(function (reply) {
      if (!matches(reply, query.terms) || !dated(reply, query)) return;
      var failed = keys.filter(function (key) {
        return (reply.f[key] || []).indexOf(query.filters[key]) < 0;
      });
      if (failed.length === 0) S.tally(counts, reply.f);
      else if (failed.length === 1) S.tally(counts, reply.f, failed);
    });
    return Promise.resolve(counts);
  };

  function passes(reply, filters) {
    return Object.keys(filters).every(function (key) {
      return (reply.f[key] || []).indexOf(filters[key]) >= 0;
    });
  }

  function dated(reply, query) {
    return S.inRange((reply.s || {}).published, query.range);
  }

  function matches(reply, terms) {
    return terms.every(function (term) {
      return reply.fh.indexOf(term) >= 0 || reply.ff.indexOf(term) >= 0 ||
        reply.fb.indexOf(term) >= 0;
    });
  }

  // Title and metadata matches first, then how often the terms occur, then the newest.
  function rank(reply, terms) {
    var head = 0;
    var count = 0;
    terms.forEach(function (term) {
      if (reply.fh.indexOf(term) >= 0 || reply.ff.indexOf(term) >= 0) head += 1;
      count += S.countOccurrences(reply.fh, term, 50) + S.countOccurrences(reply.fb, term, 50);
    });
    return { reply: reply, head: head, count: count, date: (reply.s && reply.s.published) || "" };
  }

  function compare(sort) {
    if (sort === "asc") return function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; };
    if (sort === "desc") return function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : 0; };
    return function (a, b) {
      return b.head - a.head || b.count - a.count || (a.date < b.date ? 1 : a.date > b.date ? -1 : 0);
    };
  }

  OfflineEngine.prototype.search = function (query) {
    var engine = this;
    var terms = query.terms;
    var ranked = this.replies
      .filter(function (reply) {
        return passes(reply, query.filters) && matches(reply, terms) && dated(reply, query);
      })
      .map(function (reply) {
        return rank(reply, terms);
      })
      .sort(compare(query.sort));
    var position = 0;
    return Promise.resolve({
      total: ranked.length,
      done: ranked.length === 0,
      next: function (count) {
        var page = ranked.slice(position, position + count).map(function (item) {
          return engine.toResult(item.reply, terms);
        });
        position += page.length;
        this.done = position >= ranked.length;
        return Promise.resolve(page);
      },
      finish: function () {
        return Promise.resolve(ranked.length);
      },
    });
  };

  OfflineEngine.prototype.toResult = function (reply, terms) {
    return S.makeResult(this.root, reply.u, reply.m || {}, reply.b || "", reply.f, terms);
  };

  S.OfflineEngine = OfflineEngine;
})(window);
