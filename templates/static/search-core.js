// reply-archive search: what both engines share (matching, snippets, rendering).
// A plain script (no modules) so that it also runs from file://.
(function (global) {
  "use strict";

  // The filters, as search.html lists them (its data-filters): set by useFilters before a
  // search, kept as one array so that every script sees the same names.
  var FILTERS = [];
  function useFilters(names) {
    FILTERS.length = 0;
    names.forEach(function (name) { FILTERS.push(name); });
  }
  // Filters whose values are searchable text too: a reply tagged 社区助浴 is found by
  // 社区助浴 even when its text does not hold the word.
  var TEXT_FILTERS = ["tag", "bureau", "region"];
  // Results shown at first and added by 显示更多结果: each is a fragment (hosted) or a
  // record (offline) fetched, so a first query on a phone network fetches this many.
  var PAGE_SIZE = 10;
  // The reply's header fields, as the template marks them (data-pagefind-meta), in the
  // order the page shows them: the indexed text of a page starts with them.
  var HEADER = ["title", "proposal", "bureau", "doc", "date", "index", "written", "session",
    "number", "proposers", "outcome", "status", "category"];
  var HEADER_GAP = 120; // the most characters between two header fields in the text
  // The fields an excerpt may show when the match is only there, with their labels.
  var LABELLED = [["proposal", ""], ["doc", "发文字号"], ["index", "索引号"], ["proposers", "提出人"],
    ["session", "会议"], ["number", "编号"], ["category", "分类"]];
  var FILTER_LABELS = [["tag", "主题"], ["bureau", "发文机构"], ["region", "地区"]];
  var MAX_FIELDS = 3;
  var QUOTES = /["“”„‟「」『』'‘’]/g;
  var OPENING = /[(\[【〔〖（［]/g;
  var CLOSING = /[)\]】〕〗）］]/g;

  // Fold text for matching without changing its length, so positions in the folded
  // text are positions in the original: full-width ASCII to ASCII, A-Z to a-z, every
  // kind of bracket to 〔 〕, the ideographic space to a space.
  function fold(text) {
    return text
      .replace(/[\uFF01-\uFF5E]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(/\u3000/g, " ")
      .replace(/[A-Z]/g, function (c) {
        return c.toLowerCase();
      })
      .replace(OPENING, "〔")
      .replace(CLOSING, "〕");
  }

  // The terms of a query: quotes dropped, split at spaces, folded, without repeats.
  // A reply matches when its text contains every term as written.
  function parseTerms(query) {
    var seen = Object.create(null); // (a term "constructor" is a term)
    return fold(String(query || "").replace(QUOTES, " "))
      .split(/\s+/)
      .filter(function (term) {
        var keep = term.length > 0 && !seen[term] && /[\p{L}\p{N}]/u.test(term);
        seen[term] = true;
        return keep;
      });
  }

  // The searchable text of a page's filter values (`filters`: {tag: [...], ...}), folded.
  function filterText(filters) {
    var lines = [];
    TEXT_FILTERS.forEach(function (key) {
      ((filters || {})[key] || []).forEach(function (value) {
        lines.push(value);
      });
    });
    return fold(lines.join("\n"));
  }

  // {key: {}} for every filter: counts to add to with `tally`.
  function emptyCounts() {
    var counts = {};
    FILTERS.forEach(function (key) {
      counts[key] = Object.create(null); // (a value "toString" is a value)
    });
    return counts;
  }

  // Add a page's filter values (`filters`: {key: [values]}) to `counts`, for `keys` only.
  function tally(counts, filters, keys) {
    (keys || FILTERS).forEach(function (key) {
      ((filters || {})[key] || []).forEach(function (value) {
        counts[key][value] = (counts[key][value] || 0) + 1;
      });
    });
  }

  // The filters but `key`: the filter values' counts for `key` follow the query and the
  // other filters, not the value chosen for `key` itself.
  function withoutFilter(filters, key) {
    var others = {};
    Object.keys(filters).forEach(function (name) {
      if (name !== key) others[name] = filters[name];
    });
    return others;
  }

  // Whether a page published at `published` (2025-08-04T12:43:38) is within the months of
  // `range` ({from: "2025-07", to: "2025-08"}, either end optional).
  function inRange(published, range) {
    if (!range) return true;
    var month = String(published || "").slice(0, 7);
    if (!/^\d{4}-\d{2}$/.test(month)) return false;
    return (!range.from || month >= range.from) && (!range.to || month <= range.to);
  }

  // A month range from two inputs' values, or null when neither is a month.
  function monthRange(from, to) {
    var valid = /^\d{4}-\d{2}$/;
    var range = { from: valid.test(from) ? from : "", to: valid.test(to) ? to : "" };
    return range.from || range.to ? range : null;
  }

  function containsAll(folded, terms) {
    for (var i = 0; i < terms.length; i++) {
      if (folded.indexOf(terms[i]) < 0) return false;
    }
    return true;
  }

  function countOccurrences(folded, term, limit) {
    var count = 0;
    var at = folded.indexOf(term);
    while (at >= 0 && count < limit) {
      count += 1;
      at = folded.indexOf(term, at + term.length);
    }
    return count;
  }

  // A window of `text` around the first match, as [{text, mark}] parts.
  function snippet(text, terms, length) {
    length = length || 110;
    var folded = fold(text);
    var first = -1;
    terms.forEach(function (term) {
      var at = folded.indexOf(term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, (first < 0 ? 0 : first) - 30);
    var end = Math.min(text.length, start + length);
    var parts = markParts(text.slice(start, end), folded.slice(start, end), terms);
    if (start > 0) parts.unshift({ text: "…", mark: false });
    if (end < text.length) parts.push({ text: "…", mark: false });
    return parts.map(function (part) {
      return { text: part.text.replace(/\s*\n\s*/g, " "), mark: part.mark };
    });
  }

  function markParts(text, folded, terms) {
    var marks = new Array(text.length);
    terms.forEach(function (term) {
      var at = folded.indexOf(term);
      while (at >= 0) {
        for (var i = at; i < at + term.length; i++) marks[i] = true;
        at = folded.indexOf(term, at + term.length);
      }
    });
    var parts = [];
    for (var i = 0; i < text.length; i++) {
      var mark = Boolean(marks[i]);
      var last = parts[parts.length - 1];
      if (last && last.mark === mark) last.text += text[i];
      else parts.push({ text: text[i], mark: mark });
    }
    return parts;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // One result as a list item. `result`: {href, title, bureau, date, doc, snippet}.
  function renderResult(result) {
    var item = element("li", "search-result");
    var heading = element("h2", "search-result-title");
    var link = element("a", "", result.title || result.href);
    link.href = result.href;
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = element("p", "search-result-meta");
    [
      ["search-result-bureau", result.bureau],
      ["search-result-date", result.date],
      ["search-result-doc", result.doc],
    ].forEach(function (field) {
      if (field[1]) meta.appendChild(element("span", field[0], field[1]));
    });
    item.appendChild(meta);
    if (result.snippet && result.snippet.length) {
      var text = element("p", "search-result-snippet");
      result.snippet.forEach(function (part) {
        text.appendChild(part.mark ? element("mark", "", part.text) : document.createTextNode(part.text));
      });
      item.appendChild(text);
    }
    return item;
  }

  // The body of a page's indexed text (`content`, as Pagefind gives it): what follows the
  // header fields. Pagefind ends a block without punctuation with ". ": after Chinese text
  // that is a line break, as in the offline index.
  function bodyOf(content, meta) {
    var at = 0;
    HEADER.forEach(function (key) {
      var value = meta[key];
      var found = value ? content.indexOf(value, at) : -1;
      if (found >= 0 && found - at <= HEADER_GAP) at = found + value.length;
    });
    return content.slice(at).replace(/^[.\s]+/, "")
      .replace(/([\u3000-\u9fff\uff00-\uffef])\. /g, "$1\n")
      .replace(/([\u3000-\u9fff\uff00-\uffef])\.$/, "$1");
  }

  // The fields that hold a term, as [{label, value}]: header fields and filter values.
  function matchedFields(meta, filters, terms) {
    var fields = LABELLED.map(function (pair) {
      return { label: pair[1], value: meta[pair[0]] || "" };
    }).concat(FILTER_LABELS.map(function (pair) {
      return { label: pair[1], value: ((filters || {})[pair[0]] || []).join("、") };
    }));
    return fields.filter(function (field) {
      var folded = fold(field.value);
      return field.value && terms.some(function (term) {
        return folded.indexOf(term) >= 0;
      });
    }).slice(0, MAX_FIELDS);
  }

  // What a result shows under its title: the body around the first match, the matches
  // marked; when the terms are only in fields, those fields by their labels; with no
  // term, the body's opening. Never the header fields run together.
  function excerpt(body, meta, filters, terms) {
    var folded = fold(body);
    var inBody = terms.some(function (term) {
      return folded.indexOf(term) >= 0;
    });
    if (terms.length === 0 || inBody) return snippet(body, terms, terms.length ? 110 : 80);
    var parts = [];
    matchedFields(meta, filters, terms).forEach(function (field) {
      if (parts.length) parts.push({ text: "；", mark: false });
      if (field.label) parts.push({ text: field.label + "：", mark: false });
      parts = parts.concat(markParts(field.value, fold(field.value), terms));
    });
    return parts.length ? parts : snippet(body, [], 80);
  }

  // A result from an indexed page's metadata; `path` is relative to the site's root,
  // `body` its text without the header fields.
  function makeResult(root, path, meta, body, filters, terms) {
    return {
      href: root + path,
      title: meta.title || "",
      bureau: meta.bureau || "",
      date: meta.date || "",
      doc: meta.doc || "",
      snippet: excerpt(body, meta, filters, terms),
    };
  }

  // A classic script added at run time: what loads from file:// as well as over http.
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () {
        script.remove();
        resolve();
      };
      script.onerror = function () {
        script.remove();
        reject(new Error("cannot load " + src));
      };
      document.head.appendChild(script);
    });
  }

  global.ReplyArchiveSearch = {
    loadScript: loadScript,
    FILTERS: FILTERS,
    useFilters: useFilters,
    TEXT_FILTERS: TEXT_FILTERS,
    PAGE_SIZE: PAGE_SIZE,
    filterText: filterText,
    emptyCounts: emptyCounts,
    inRange: inRange,
    monthRange: monthRange,
    tally: tally,
    withoutFilter: withoutFilter,
    fold: fold,
    parseTerms: parseTerms,
    containsAll: containsAll,
    countOccurrences: countOccurrences,
    snippet: snippet,
    bodyOf: bodyOf,
    excerpt: excerpt,
    renderResult: renderResult,
    makeResult: makeResult,
  };
})(window);
