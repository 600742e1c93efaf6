// reply-archive: small enhancements; every page works without this script.
//
// Loaded in <head> without `defer`: the reader's saved reading mode is put on <html>
// before the first paint (no flash of small text), and the buttons are wired once the
// document is parsed.
//
// - 大字模式 (the 适老化 reading mode): larger text and higher contrast, one button in the
//   header of every page, remembered across pages. The choice is kept in localStorage (in
//   Chromium every file:// page shares one store too) and, for browsers that give pages
//   opened from disk no shared storage, in window.name, which lives as long as the tab.
//
// Read aloud (朗读全文) is readaloud.js, loaded by reply pages only.
(function () {
  "use strict";

  var root = document.documentElement;
  var STORE_KEY = "reply-archive.reading-mode";
  var NAME_PREFIX = "reply-archive.reading-mode=";
  var READING_CLASS = "reading-mode";

  root.classList.add("js");

  // -- the reading mode ------------------------------------------------------------------

  // This tab's latest choice (window.name) comes first: where each file:// page has its own
  // storage, a page's stored value may be older than the choice made on the last page.
  function savedMode() {
    var name = String(window.name || "");
    if (name.indexOf(NAME_PREFIX) === 0) {
      var value = name.slice(NAME_PREFIX.length);
      if (value === "on" || value === "off") return value;
    }
    try {
      var stored = window.localStorage.getItem(STORE_KEY);
      if (stored === "on" || stored === "off") return stored;
    } catch (e) {
      // No storage: the default.
    }
    return "off";
  }

  function rememberInTab(value) {
    if (!window.name || String(window.name).indexOf(NAME_PREFIX) === 0) {
      window.name = NAME_PREFIX + value;
    }
  }

  function saveMode(value) {
    try {
      window.localStorage.setItem(STORE_KEY, value);
    } catch (e) {
      // No storage (private mode, or file:// in some browsers): window.name still works.
    }
    rememberInTab(value);
  }

  function applyMode(value) {
    var on = value === "on";
    root.classList.toggle(READING_CLASS, on);
    var buttons = document.querySelectorAll(".reading-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function wireReadingMode() {
    var buttons = document.querySelectorAll(".reading-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var value = root.classList.contains(READING_CLASS) ? "off" : "on";
        saveMode(value);
        applyMode(value);
      });
    }
    applyMode(savedMode());
    // Another tab changed it, or this page came back from the back/forward cache.
    window.addEventListener("storage", function (event) {
      if (event.key === STORE_KEY && (event.newValue === "on" || event.newValue === "off")) {
        rememberInTab(event.newValue);
        applyMode(event.newValue);
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) applyMode(savedMode());
    });
  }

  applyMode(savedMode());

  // -- the sections in the header ----------------------------------------------------------

  // On a phone the sections are one row that scrolls sideways (its right end fades out):
  // the current section is shown on arrival, and each section as Tab reaches it.
  var FADE = 40; // px: the faded end of the row, and a little more

  function revealInRow(list, item) {
    if (list.scrollWidth <= list.clientWidth) return;
    var shown = item.getBoundingClientRect();
    var box = list.getBoundingClientRect();
    if (shown.right > box.right - FADE) list.scrollLeft += shown.right - box.right + FADE;
    else if (shown.left < box.left + 8) list.scrollLeft -= box.left + 8 - shown.left;
  }

  function wireSections() {
    var list = document.querySelector(".site-nav ul");
    if (!list) return;
    var current = list.querySelector('[aria-current="page"]');
    if (current) revealInRow(list, current);
    list.addEventListener("focusin", function (event) {
      if (event.target instanceof Element) revealInRow(list, event.target);
    });
  }

  // A printed reply shows all its fields: folded ones are opened for the print, then closed.
  function wirePrinting() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      var folded = document.querySelectorAll("details.reply-meta-more:not([open])");
      for (var i = 0; i < folded.length; i++) {
        folded[i].open = true;
        opened.push(folded[i]);
      }
    });
    window.addEventListener("afterprint", function () {
      while (opened.length) opened.pop().open = false;
    });
  }

  // A long reply's contents (目录) are folded for a phone's first screen; a wide one opens them.
  function wireContents() {
    var contents = document.querySelector(".reply-toc details");
    if (contents && window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
      contents.open = true;
    }
  }

  function ready() {
    wireReadingMode();
    wirePrinting();
    wireSections();
    wireContents();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
