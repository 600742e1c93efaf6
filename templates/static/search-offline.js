// reply-archive search: the offline engine, for pages opened from disk (file://), where
// Pagefind, fetch and modules cannot load. Its index is plain scripts (builder/search/
// offline.py): search/offline-index.js, always loaded (each reply's filters and month, by
// number, oldest first), and pieces loaded on demand by inserting a <script>, each calling
// ReplyArchiveOffline.add(name, data): t/<hash> the replies holding each character and
// pair of characters of the folded text, with counts; r/<n> the records of a few replies.
(function (global) {
  "use strict";

  var S = global.ReplyArchiveSearch;
  var FIELDS = ["h", "b", "f"]; // title and metadata, body, searchable filter values
  var BATCH = 20; // candidates checked at once (their records' pieces load together)
  var CHECK_ALL = 8; // pieces: when the unchecked candidates fit in as many, check them all

  function inflate(base64) {
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buffer) {
      return new Uint8Array(buffer);
    });
  }

  function inflateJson(base64) {
    return inflate(base64).then(function (bytes) {
      return JSON.parse(new TextDecoder().decode(bytes));
    });
  }

  // FNV-1a over the UTF-16 code units (builder/search/offline.py gram_hash).
  function gramHash(gram) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < gram.length; i++) {
      hash = Math.imul(hash ^ gram.charCodeAt(i), 0x01000193) >>> 0;
    }
    return hash;
  }

  // The n-grams the index holds for a term: itself up to two characters, else its pairs.
  function gramsOf(term) {
    if (term.length <= 2) return [term];
    var grams = [];
    for (var i = 0; i + 2 <= term.length; i++) {
      var gram = term.slice(i, i + 2);
      if (grams.indexOf(gram) < 0) grams.push(gram);
    }
    return grams;
  }

  // A term piece: for each n-gram, where its three lists are in `bytes`.
  function TermPiece(bytes) {
    this.bytes = bytes;
    this.grams = {};
    var at = { i: 0 };
    while (at.i < bytes.length) {
      var length = varint(bytes, at);
      var gram = "";
      for (var k = 0; k < length; k++) gram += String.fromCharCode(varint(bytes, at));
      var lists = {};
      FIELDS.forEach(function (field) {
        var size = varint(bytes, at);
        lists[field] = [at.i, at.i + size];
        at.i += size;
      });
      this.grams[gram] = lists;
    }
  }

  function varint(bytes, at) {
    var value = 0;
    var shift = 0;
    var byte;
    do {
      byte = bytes[at.i++];
      value += (byte & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (byte & 0x80);
    return value;
  }

  // Calls back (number, count) for every reply of one of a gram's lists.
  TermPiece.prototype.each = function (gram, field, callback) {
    var lists = this.grams[gram];
    if (!lists) return;
    var range = lists[field];
    var at = { i: range[0] };
    var number = -1;
    while (at.i < range[1]) {
      number += varint(this.bytes, at);
      callback(number, this.bytes[at.i++]);
    }
  };

  function OfflineEngine(indexUrl, root) {
    this.indexUrl = indexUrl;
    this.root = root;
    this.mode = "offline";
    this.info = null;
    this.pieces = {};
    this.waiting = {};
    this.loaded = []; // the pieces loaded, in order (tests and benchmarks read it)
    this.terms = Object.create(null); // (by the reader's terms: "constructor" too)
  }

  OfflineEngine.prototype.load = function () {
    var engine = this;
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot read the offline index"));
    }
    return S.loadScript(this.indexUrl)
      .then(function () {
        var data = global.ReplyArchiveOffline;
        if (!data || data.version !== 2 || !data.data) throw new Error("no offline index");
        engine.info = data;
        data.add = function (name, packed) {
          var waiting = engine.waiting[name];
          if (waiting) waiting(packed);
        };
        return inflateJson(data.data);
      })
      .then(function (base) {
        engine.readBase(base);
        return engine;
      });
  };

  // The filters' columns, and each reply's month and rank for the order by date.
  OfflineEngine.prototype.readBase = function (base) {
    var count = this.info.replies;
    this.count = count;
    this.columns = base.filters;
    this.month = new Array(count);
    var number = 0;
    base.months.forEach(function (run) {
      for (var i = 0; i < run[1]; i++) this.month[number++] = run[0];
    }, this);
    // Replies published at the same time keep, oldest first, the order newest first.
    this.tieStart = new Int32Array(count);
    var ties = {};
    base.ties.forEach(function (tie) { ties[tie] = true; });
    for (var n = 0; n < count; n++) this.tieStart[n] = ties[n] ? this.tieStart[n - 1] : n;
  };

  // A piece of the index ("t/0a3", "r/12"), loaded once.
  OfflineEngine.prototype.piece = function (name) {
    var engine = this;
    if (this.pieces[name]) return this.pieces[name];
    var arrived;
    var packed = new Promise(function (resolve) {
      arrived = resolve;
    });
    this.waiting[name] = function (data) {
      delete engine.waiting[name];
      arrived(data);
    };
    var src = new URL(this.info.pieces + name + ".js", this.indexUrl).href;
    this.loaded.push(name);
    this.pieces[name] = S.loadScript(src).then(function () {
      return packed;
    }).then(function (data) {
      return name.charAt(0) === "t" ? inflate(data).then(function (bytes) {
        return new TermPiece(bytes);
      }) : inflateJson(data);
    });
    this.pieces[name].catch(function () {
      delete engine.pieces[name];
    });
    return this.pieces[name];
  };

  OfflineEngine.prototype.termPiece = function (gram) {
    var count = this.info.termPieces;
    var width = (count - 1).toString(16).length;
    var name = (gramHash(gram) & (count - 1)).toString(16);
    while (name.length < width) name = "0" + name;
    return this.piece("t/" + name);
  };

  OfflineEngine.prototype.recordPiece = function (number) {
    return this.piece("r/" + Math.floor(number / this.info.group));
  };

  OfflineEngine.prototype.valuesOf = function (number) {
    var filters = {};
    var columns = this.columns;
    Object.keys(columns).forEach(function (key) {
      var own = columns[key].replies[number];
      var list = typeof own === "number" ? (own ? [own] : []) : own;
      if (list.length) {
        filters[key] = list.map(function (value) { return columns[key].values[value - 1]; });
      }
    });
    return filters;
  };

  // A test of reply numbers: those with every value of `filters` and within `range`.
  OfflineEngine.prototype.passes = function (filters, range) {
    var columns = this.columns;
    var month = this.month;
    var keys = Object.keys(filters);
    var lists = [];
    var wanted = [];
    for (var i = 0; i < keys.length; i++) {
      var column = columns[keys[i]];
      var value = column ? column.values.indexOf(filters[keys[i]]) + 1 : 0;
      if (!value) return function () { return false; };
      lists.push(column.replies);
      wanted.push(value);
    }
    var from = range ? range.from : "";
    var to = range ? range.to : "";
    return function (n) {
      if (range) {
        var m = month[n]; // "" or YYYY-MM, as S.inRange reads a date
        if (!m || (from && m < from) || (to && m > to)) return false;
      }
      for (var k = 0; k < lists.length; k++) {
        var own = lists[k][n];
        if (typeof own === "number" ? own !== wanted[k] : own.indexOf(wanted[k]) < 0) return false;
      }
      return true;
    };
  };

  // Adds to `counts` the values of filters `keys` of the replies `numbers`.
  OfflineEngine.prototype.tally = function (counts, numbers, keys) {
    var columns = this.columns;
    keys.forEach(function (key) {
      var column = columns[key];
      if (!column || !counts[key]) return;
      var replies = column.replies;
      var tallied = new Int32Array(column.values.length + 1);
      for (var i = 0; i < numbers.length; i++) {
        var own = replies[numbers[i]];
        if (typeof own === "number") tallied[own] += 1;
        else for (var j = 0; j < own.length; j++) tallied[own[j]] += 1;
      }
      for (var v = 1; v < tallied.length; v++) {
        var name = column.values[v - 1];
        if (tallied[v]) counts[key][name] = (counts[key][name] || 0) + tallied[v];
      }
    });
  };

  OfflineEngine.prototype.filterValues = function () {
    var values = S.emptyCounts();
    var all = new Int32Array(this.count);
    for (var n = 0; n < this.count; n++) all[n] = n;
    this.tally(values, all, S.FILTERS);
    return Promise.resolve(values);
  };

  // What the index says of `terms`, kept for the queries that share them: the candidates
  // (every reply that has each term's n-grams in one field), each with its rank's bound
  // (exact when every term is one n-gram), and what checking their text found.
  OfflineEngine.prototype.matching = function (terms) {
    var key = JSON.stringify(terms);
    if (!this.terms[key]) this.terms[key] = this.lookUp(terms);
    return this.terms[key];
  };

  OfflineEngine.prototype.lookUp = function (terms) {
    var engine = this;
    var count = this.count;
    var grams = [];
    terms.forEach(function (term) {
      gramsOf(term).forEach(function (gram) {
        if (grams.indexOf(gram) < 0) grams.push(gram);
      });
    });
    return Promise.all(grams.map(function (gram) {
      return engine.termPiece(gram);
    })).then(function (pieces) {
      var byGram = {};
      grams.forEach(function (gram, i) { byGram[gram] = pieces[i]; });
      var head = new Uint8Array(count);
      var rank = new Uint16Array(count);
      var alive = new Uint8Array(count).fill(1);
      terms.forEach(function (term) {
        engine.addTerm(term, byGram, alive, head, rank);
      });
      var exact = terms.every(function (term) { return term.length <= 2; });
      var state = new Uint8Array(count); // 0 unchecked, 1 holds the terms, 2 does not
      var candidates = [];
      for (var n = count - 1; n >= 0; n--) {
        if (!alive[n]) continue;
        candidates.push(n);
        if (exact) state[n] = 1;
      }
      return { terms: terms, candidates: candidates, head: head, rank: rank, state: state };
    });
  };

  // One term: replies without it in any field drop out; the others add to their bound
  // (whether it is in the title and metadata or the filter values, and its counts there
  // and in the body, at most those of its least frequent n-gram: exact for one n-gram).
  OfflineEngine.prototype.addTerm = function (term, byGram, alive, head, rank) {
    var count = this.count;
    var grams = gramsOf(term);
    var seen = Object.create(null);
    var least = Object.create(null);
    FIELDS.forEach(function (field) {
      seen[field] = new Uint16Array(count);
      least[field] = new Uint8Array(count).fill(255);
      grams.forEach(function (gram) {
        byGram[gram].each(gram, field, function (n, c) {
          seen[field][n] += 1;
          if (c < least[field][n]) least[field][n] = c;
        });
      });
    });
    var all = grams.length;
    for (var n = 0; n < count; n++) {
      if (!alive[n]) continue;
      var inHead = seen.h[n] === all;
      var inBody = seen.b[n] === all;
      var inFilters = seen.f[n] === all;
      if (!inHead && !inBody && !inFilters) {
        alive[n] = 0;
        continue;
      }
      if (inHead || inFilters) head[n] += 1;
      rank[n] += (inHead ? least.h[n] : 0) + (inBody ? least.b[n] : 0);
    }
  };

  // The exact check and rank of one reply from its record, as the search ranks: the
  // terms in the title and metadata or filter values, then their counts (at most 50 a
  // field), then the newest.
  function check(record, filters, terms) {
    var folded = { h: S.fold(record[2] || ""), b: S.fold(record[3] || ""), f: S.filterText(filters) };
    var head = 0;
    var rank = 0;
    var holds = terms.every(function (term) {
      var inHead = folded.h.indexOf(term) >= 0 || folded.f.indexOf(term) >= 0;
      if (inHead) head += 1;
      rank += S.countOccurrences(folded.h, term, 50) + S.countOccurrences(folded.b, term, 50);
      return inHead || folded.b.indexOf(term) >= 0;
    });
    return { holds: holds, head: head, rank: rank };
  }

  // Checks the text of `numbers` (candidates of `found`), loading their records' pieces.
  OfflineEngine.prototype.checkAll = function (found, numbers) {
    var engine = this;
    var group = this.info.group;
    var starts = [];
    numbers.forEach(function (n) {
      var start = n - (n % group);
      if (starts.indexOf(start) < 0) starts.push(start);
    });
    return Promise.all(starts.map(function (start) {
      return engine.recordPiece(start).then(function (records) {
        records.forEach(function (record, i) {
          var n = start + i;
          if (found.state[n] !== 0 || !engine.isCandidate(found, n)) return;
          var checked = check(record, engine.valuesOf(n), found.terms);
          found.state[n] = checked.holds ? 1 : 2;
          found.head[n] = checked.head;
          found.rank[n] = checked.rank;
        });
      });
    }));
  };

  // Whether the records of `numbers` are in few enough pieces to check them all at once.
  OfflineEngine.prototype.fewPieces = function (numbers) {
    var pieces = {};
    var group = this.info.group;
    numbers.forEach(function (n) { pieces[Math.floor(n / group)] = true; });
    return Object.keys(pieces).length <= CHECK_ALL;
  };

  OfflineEngine.prototype.isCandidate = function (found, n) {
    if (!found.members) {
      found.members = new Uint8Array(this.count);
      found.candidates.forEach(function (m) { found.members[m] = 1; });
    }
    return found.members[n] === 1;
  };

  // For each filter, how many replies match the query and the other filters, by value;
  // `partial` for the filters whose counts are lower bounds (candidates left unchecked).
  OfflineEngine.prototype.counts = function (query) {
    var engine = this;
    var chosen = Object.keys(query.filters);
    var open = S.FILTERS.filter(function (key) { return chosen.indexOf(key) < 0; });
    var asks = [{ keys: open, filters: query.filters }].concat(chosen.map(function (key) {
      return { keys: [key], filters: S.withoutFilter(query.filters, key) };
    }));
    var found;
    return this.found(query.terms).then(function (result) {
      found = result;
      // The unchecked candidates of each ask are checked when they fit in a few pieces.
      asks.forEach(function (ask) {
        ask.passes = engine.passes(ask.filters, query.range);
      });
      return Promise.all(asks.map(function (ask) {
        var unchecked = found.candidates.filter(function (n) {
          return found.state[n] === 0 && ask.passes(n);
        });
        return engine.fewPieces(unchecked) ? engine.checkAll(found, unchecked) : null;
      }));
    }).then(function () {
      var counts = S.emptyCounts();
      asks.forEach(function (ask) {
        var unchecked = false;
        var kept = [];
        var candidates = found.candidates;
        for (var i = 0; i < candidates.length; i++) {
          var n = candidates[i];
          if (found.state[n] === 2 || !ask.passes(n)) continue;
          if (found.state[n] === 0) unchecked = true;
          else kept.push(n);
        }
        engine.tally(counts, kept, ask.keys);
        if (unchecked) {
          counts.partial = counts.partial || {};
          ask.keys.forEach(function (key) { counts.partial[key] = true; });
        }
      });
      return counts;
    });
  };

  // Every reply, when the query has no term.
  OfflineEngine.prototype.found = function (terms) {
    if (terms.length) return this.matching(terms);
    if (!this.everything) {
      var candidates = [];
      for (var n = this.count - 1; n >= 0; n--) candidates.push(n);
      this.everything = Promise.resolve({
        terms: [], candidates: candidates, head: new Uint8Array(this.count),
        rank: new Uint16Array(this.count), state: new Uint8Array(this.count).fill(1),
      });
    }
    return this.everything;
  };

  function order(found, sort, tieStart) {
    if (sort === "desc") return function (a, b) { return b - a; };
    if (sort === "asc") return function (a, b) { return tieStart[a] - tieStart[b] || b - a; };
    return function (a, b) {
      return found.head[b] - found.head[a] || found.rank[b] - found.rank[a] || b - a;
    };
  }

  OfflineEngine.prototype.search = function (query) {
    var engine = this;
    return this.found(query.terms).then(function (found) {
      var passes = engine.passes(query.filters, query.range);
      var list = found.candidates.filter(function (n) {
        return found.state[n] !== 2 && passes(n);
      });
      var unchecked = list.filter(function (n) { return found.state[n] === 0; });
      var ready = engine.fewPieces(unchecked) ? engine.checkAll(found, unchecked) : null;
      return Promise.resolve(ready).then(function () {
        return new Cursor(engine, found, list, query);
      });
    });
  };

  // The results in order. A candidate's rank is at most its bound, so once the best checked
  // result ranks at least as high as the next unchecked candidate's bound, it comes next.
  function Cursor(engine, found, list, query) {
    this.engine = engine;
    this.found = found;
    this.terms = query.terms;
    this.compare = order(found, query.sort, engine.tieStart);
    this.queue = list.slice().sort(this.compare); // by bound: exact once checked
    this.ready = [];
    this.at = 0;
    this.handed = 0;
    this.update();
  }

  Cursor.prototype.update = function () {
    var found = this.found;
    var kept = 0;
    var unchecked = 0;
    for (var i = 0; i < this.queue.length; i++) {
      var state = found.state[this.queue[i]];
      if (state === 1) kept += 1;
      else if (state === 0) unchecked += 1;
    }
    this.kept = kept;
    this.total = unchecked ? null : kept;
    this.done = this.total !== null && this.handed >= this.total;
  };

  Cursor.prototype.verifiedSoFar = function () {
    return this.kept;
  };

  // The next result's number, or -1 when there is none; checks what it needs.
  Cursor.prototype.take = function () {
    var cursor = this;
    var found = this.found;
    while (this.at < this.queue.length && found.state[this.queue[this.at]] !== 0) {
      if (found.state[this.queue[this.at]] === 1) this.insert(this.queue[this.at]);
      this.at += 1;
    }
    var next = this.queue[this.at];
    if (this.at < this.queue.length &&
      (!this.ready.length || this.compare(this.ready[0], next) > 0)) {
      var batch = this.queue.slice(this.at).filter(function (n) {
        return found.state[n] === 0;
      }).slice(0, BATCH);
      return this.engine.checkAll(found, batch).then(function () {
        return cursor.take();
      });
    }
    return Promise.resolve(this.ready.length ? this.ready.shift() : -1);
  };

  Cursor.prototype.insert = function (n) {
    var at = this.ready.length;
    while (at > 0 && this.compare(this.ready[at - 1], n) > 0) at -= 1;
    this.ready.splice(at, 0, n);
  };

  Cursor.prototype.next = function (count) {
    var cursor = this;
    var numbers = [];
    var step = function () {
      if (numbers.length >= count) return Promise.resolve();
      return cursor.take().then(function (n) {
        if (n < 0) return null;
        numbers.push(n);
        return step();
      });
    };
    return step().then(function () {
      return Promise.all(numbers.map(function (n) {
        return cursor.engine.toResult(n, cursor.terms);
      }));
    }).then(function (results) {
      cursor.handed += results.length;
      cursor.update();
      if (cursor.at >= cursor.queue.length && !cursor.ready.length) cursor.done = true;
      return results;
    });
  };

  Cursor.prototype.finish = function () {
    var cursor = this;
    var found = this.found;
    var unchecked = this.queue.filter(function (n) { return found.state[n] === 0; });
    return this.engine.checkAll(found, unchecked).then(function () {
      cursor.update();
      return cursor.total;
    });
  };

  OfflineEngine.prototype.toResult = function (n, terms) {
    var engine = this;
    return this.recordPiece(n).then(function (records) {
      var record = records[n % engine.info.group];
      return S.makeResult(engine.root, record[0], record[1] || {}, record[3] || "",
        engine.valuesOf(n), terms);
    });
  };

  OfflineEngine.gramHash = gramHash; // for tests: the builder hashes as this does
  OfflineEngine.gramsOf = gramsOf;
  S.OfflineEngine = OfflineEngine;
})(window);
