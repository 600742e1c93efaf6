// Unit tests of read aloud's text helpers (templates/static/readaloud.js), with Node's own
// test runner: `node --test tests/js/*.mjs`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { splitSentences, chineseVoice, MAX_CHUNK } = require("../../templates/static/readaloud.js");

test("a paragraph is read sentence by sentence, closing marks kept", () => {
  assert.deepEqual(splitSentences("收悉。现答复如下：一是完善规划！二是“放大优势”。"), [
    "收悉。",
    "现答复如下：一是完善规划！",
    "二是“放大优势”。",
  ]);
});

test("a semicolon ends a piece, and so does the end of the text", () => {
  assert.deepEqual(splitSentences("第一项；第二项"), ["第一项；", "第二项"]);
});

test("spaces and line breaks are one space, and none at the ends", () => {
  assert.deepEqual(splitSentences("  甲\n\n乙。  丙  "), ["甲 乙。", "丙"]);
  assert.deepEqual(splitSentences(" \n "), []);
});

test("a long sentence is cut at a comma, no piece longer than MAX_CHUNK", () => {
  const clause = "我市坚持政府主导社会参与全民关怀的老龄工作方针，";
  const long = clause.repeat(12) + "完。";
  const pieces = splitSentences(long);
  assert.ok(pieces.length > 1);
  assert.ok(pieces.every((p) => p.length <= MAX_CHUNK));
  assert.ok(pieces.slice(0, -1).every((p) => p.endsWith("，")));
  assert.equal(pieces.join(""), long);
});

test("a long run without a comma is cut at MAX_CHUNK", () => {
  const run = "养".repeat(MAX_CHUNK * 2 + 5) + "。";
  const pieces = splitSentences(run);
  assert.deepEqual(pieces.map((p) => p.length), [MAX_CHUNK, MAX_CHUNK, 6]);
});

test("the Chinese voice: zh-CN first, then a local one; none without Chinese", () => {
  const synth = (voices) => ({ getVoices: () => voices });
  const en = { name: "en", lang: "en-US", localService: true };
  const tw = { name: "tw", lang: "zh-TW", localService: true };
  const cnRemote = { name: "cn remote", lang: "zh-CN", localService: false };
  const cnLocal = { name: "cn local", lang: "zh_CN", localService: true };
  assert.equal(chineseVoice(synth([en, tw, cnRemote, cnLocal])), cnLocal);
  assert.equal(chineseVoice(synth([en, tw, cnRemote])), cnRemote);
  assert.equal(chineseVoice(synth([en, tw])), tw);
  assert.equal(chineseVoice(synth([en])), null);
  assert.equal(chineseVoice({ getVoices: () => { throw new Error("no"); } }), null);
});
