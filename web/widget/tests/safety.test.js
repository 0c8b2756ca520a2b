// The widget's safety rules (web/widget/safety.js) without a browser: `node --test web/widget/tests/`.
// Masking is checked against the assistant's own table (tests/fixtures/masking_cases.json), so the
// widget and tanya/privacy/masking.py cannot drift apart.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const safety = require("../safety.js");

const CASES = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "tests", "fixtures", "masking_cases.json"), "utf8"));

test("the shared table has cases of both kinds", () => {
  assert.ok(CASES.masked.length >= 10 && CASES.unchanged.length >= 5);
});

for (const { written, masked } of CASES.masked) {
  test(`masks ${JSON.stringify(written)}`, () => {
    assert.equal(safety.mask(written), masked);
  });
}

for (const { written, masked, why } of CASES.formats) {
  test(`masks the format: ${why}`, () => {
    assert.equal(safety.mask(written), masked);
  });
}

for (const message of CASES.unchanged) {
  test(`leaves ${JSON.stringify(message)} alone`, () => {
    assert.equal(safety.mask(message), message);
  });
}

const linksOf = (line) => safety.links(line).filter((part) => part.href);

test("an agency link becomes clickable, without the sentence's full stop", () => {
  const line = "Daftar di https://www.bpjsketenagakerjaan.go.id/bpu. Terima kasih";
  const parts = safety.links(line);
  assert.deepEqual(parts, [
    { text: "Daftar di " },
    { text: "https://www.bpjsketenagakerjaan.go.id/bpu", href: "https://www.bpjsketenagakerjaan.go.id/bpu" },
    { text: ". Terima kasih" },
  ]);
});

test("a link written without a scheme opens over https, in any letter case", () => {
  assert.deepEqual(linksOf("lihat www.bpjs.go.id atau cermati.com/bpjs-ketenagakerjaan"), [
    { text: "www.bpjs.go.id", href: "https://www.bpjs.go.id" },
    { text: "cermati.com/bpjs-ketenagakerjaan", href: "https://cermati.com/bpjs-ketenagakerjaan" },
  ]);
  assert.deepEqual(linksOf("WWW.BPJS.GO.ID"), [{ text: "WWW.BPJS.GO.ID", href: "https://WWW.BPJS.GO.ID" }]);
});

test("other hosts stay plain text, even when they look like the agency's", () => {
  for (const line of [
    "https://evil.com/bpjs.go.id",
    "bpjs.go.id.evil.com",
    "notbpjs.go.id",
    "https://bpjsketenagakerjaan.go.id.example.org/login",
    "javascript:alert(1)",
    "example.com",
  ]) {
    assert.deepEqual(linksOf(line), [], line);
  }
});

test("a user name in front of another host never turns that host into an agency link", () => {
  // The link that is made points at the agency's host; the rest stays text.
  assert.deepEqual(linksOf("https://bpjs.go.id@evil.com"), [{ text: "https://bpjs.go.id", href: "https://bpjs.go.id" }]);
});

test("the parts of a line always join back to the line", () => {
  for (const line of ["", "tanpa tautan", "a www.bpjs.go.id b evil.com c https://cermati.com.", "(bpjs.go.id)"]) {
    assert.equal(safety.links(line).map((part) => part.text).join(""), line);
  }
});

test("allowedHref accepts the listed domains and their subdomains only", () => {
  assert.equal(safety.allowedHref("bpjs.go.id"), "https://bpjs.go.id");
  assert.equal(safety.allowedHref("http://sipp.bpjsketenagakerjaan.go.id/x"), "http://sipp.bpjsketenagakerjaan.go.id/x");
  assert.equal(safety.allowedHref("https://cermati.com.evil.io"), null);
  assert.equal(safety.allowedHref("https://exa mple.com"), null);
});

const boldCases = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../tests/fixtures/bold_cases.json"), "utf8")).cases;

test("*bold* markup follows the same rule as the Python renderer (shared cases)", () => {
  for (const c of boldCases) {
    const parts = safety.bold(c.text);
    assert.equal(parts.map((p) => p.text).join(""), c.plain, c.text);
    assert.deepEqual(parts.filter((p) => p.bold).map((p) => p.text), c.bold, c.text);
  }
});
