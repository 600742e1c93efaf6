// Unit tests of the search's shared helpers (templates/static/search-core.js), with Node's
// own test runner: `node --test tests/js/`. search-core.js is a plain browser script (it
// also runs from file://): it is run here in a vm context whose `window` it fills in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = readFileSync(new URL("../../templates/static/search-core.js", import.meta.url), "utf8");
const context = { window: {} };
vm.createContext(context);
vm.runInContext(source, context, { filename: "search-core.js" });
const S = context.window.ReplyArchiveSearch;
const plain = (value) => JSON.parse(JSON.stringify(value)); // out of the vm's realm
const text = (parts) => parts.map((part) => part.text).join("");
const marked = (parts) => parts.filter((part) => part.mark).map((part) => part.text);

test("fold keeps the length and folds widths, case, brackets and the ideographic space", () => {
  const folded = S.fold("乌民复[2025]20号　ＡＢＣ（一）");
  assert.equal(folded, "乌民复〔2025〕20号 abc〔一〕");
  for (const sample of ["（一）", "Ｔ１２３", "【通知】", "a\u3000b"]) {
    assert.equal(S.fold(sample).length, sample.length);
  }
});

test("terms and filter values named like an object's own properties are kept", () => {
  assert.deepEqual(plain(S.parseTerms("constructor __proto__ toString")), ["constructor", "__proto__", "tostring"]);
  S.useFilters(["tag"]);
  const counts = S.emptyCounts();
  const key = "tag";
  S.tally(counts, { [key]: ["toString", "constructor"] }, [key]);
  assert.equal(counts[key]["toString"], 1);
  assert.equal(counts[key]["constructor"], 1);
});

test("parseTerms drops quotes, splits at spaces, folds, and keeps each term once", () => {
  assert.deepEqual(plain(S.parseTerms("“老年助餐”  乌海市　老年助餐")), ["老年助餐", "乌海市"]);
  assert.deepEqual(plain(S.parseTerms("乌民复[2025]20号")), ["乌民复〔2025〕20号"]);
  assert.deepEqual(plain(S.parseTerms("HN-35")), ["hn-35"]);
});

test("parseTerms keeps no term without a letter or a digit", () => {
  assert.deepEqual(plain(S.parseTerms(" ， 。 - ")), []);
  assert.deepEqual(plain(S.parseTerms("")), []);
  assert.deepEqual(plain(S.parseTerms(null)), []);
});

test("a snippet is a window around the first match, every match in it marked", () => {
  const body = "甲".repeat(100) + "老年助餐点" + "乙".repeat(20) + "助餐" + "丙".repeat(100);
  const parts = S.snippet(body, ["助餐"]);
  assert.ok(text(parts).startsWith("…"));
  assert.ok(text(parts).endsWith("…"));
  assert.deepEqual(plain(marked(parts)), ["助餐", "助餐"]);
  assert.ok(text(parts).length <= 110 + 2);
});

test("a snippet marks the text as written, matched folded", () => {
  const parts = S.snippet("文号乌民复〔2025〕20号。", S.parseTerms("乌民复[2025]20号"));
  assert.deepEqual(plain(marked(parts)), ["乌民复〔2025〕20号"]);
  assert.equal(text(parts), "文号乌民复〔2025〕20号。");
});

test("a snippet turns line breaks into spaces", () => {
  assert.equal(text(S.snippet("一、基本情况\n您在建议中", ["建议"])), "一、基本情况 您在建议中");
});

test("an excerpt shows a field by its label when the match is only there", () => {
  const meta = { title: "答复", proposers: "张三、李四（代表）", doc: "某民复〔2025〕1号" };
  const parts = S.excerpt("您提出的建议收悉。", meta, { tag: ["社区助浴"] }, ["张三"]);
  assert.equal(text(parts), "提出人：张三、李四（代表）");
  assert.deepEqual(plain(marked(parts)), ["张三"]);
  const tagged = S.excerpt("您提出的建议收悉。", meta, { tag: ["社区助浴"] }, ["社区助浴"]);
  assert.equal(text(tagged), "主题：社区助浴");
  const both = S.excerpt("正文。", meta, {}, ["张三", "1号"]);
  assert.equal(text(both), "发文字号：某民复〔2025〕1号；提出人：张三、李四（代表）");
});

test("the body of Pagefind's text starts after the header fields", () => {
  const meta = { title: "关于第1号建议的答复", bureau: "某市民政局", date: "2025年7月7日",
    written: "2025年7月7日", status: "有效" };
  const content = "关于第1号建议的答复. 某市民政局. 2025年7月7日. 2025年7月7日. 有效. 张三代表： 您提出的建议收悉. 一、基本情况. 正文。";
  assert.equal(S.bodyOf(content, meta), "张三代表： 您提出的建议收悉\n一、基本情况\n正文。");
});
