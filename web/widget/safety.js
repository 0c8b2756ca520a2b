/*
 * The widget's two safety rules, apart from the page so that Node can test them (web/widget/tests):
 * - mask(text): personal numbers are never kept in the browser's stored history in clear. The rule is
 *   the assistant's (tanya/privacy/masking.py, tanya/privacy/numbers.py), checked against the same cases
 *   (tests/fixtures/masking_cases.json): a written number of 10 or more digits, its groups joined by any
 *   separators (spaces, line breaks, dashes, commas, zero-width characters...), keeps only its last 4 digits.
 * - links(line): which parts of a bot's line become clickable links (allow-listed agency domains only).
 * In the page it is window.TanyaWidgetSafety; in Node, require("./safety.js").
 */
(function (root, define) {
  "use strict";
  var api = define();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.TanyaWidgetSafety = api;
})(this, function () {
  "use strict";

  var MASK = "*";
  var MIN_DIGITS = 10;
  var KEEP_LAST = 4;
  // A written number, read as tanya/privacy/numbers.py reads it: digits (any script, and what NFKC turns
  // into digits) joined by any run of separators (whitespace, dashes, the punctuation below and their
  // full-width forms, invisible format characters and combining marks).
  var SEPARATOR_PUNCTUATION = ".,:;/\\()[]_+'\u00b7";
  var DECIMAL = /^\p{Nd}$/u;
  var INVISIBLE_OR_DASH = /^[\p{Cf}\p{M}\p{Pd}\u2212]$/u;
  var SPACE = /^[\s\x1c-\x1f\x85]$/u;  // what Python calls whitespace

  /* The ASCII digits one character stands for ("٣" -> "3", "⑩" -> "10"), or "". */
  function digitsOf(ch) {
    var normal = ch.normalize("NFKC");
    if (DECIMAL.test(ch)) return /^[0-9]$/.test(normal) ? normal : String(decimalValue(ch));
    return /^[0-9]+$/.test(normal) && /\p{N}/u.test(ch) ? normal : "";
  }

  /* The value of a decimal digit NFKC keeps as it is (Arabic-Indic, Devanagari...): Unicode writes each
     script's 0-9 as consecutive code points, runs of them starting at a 0. */
  function decimalValue(ch) {
    var code = ch.codePointAt(0);
    var start = code;
    while (DECIMAL.test(String.fromCodePoint(start - 1))) start -= 1;
    return (code - start) % 10;
  }

  function kind(ch) {
    if (digitsOf(ch)) return "d";
    if (SPACE.test(ch) || SEPARATOR_PUNCTUATION.indexOf(ch) >= 0 || INVISIBLE_OR_DASH.test(ch)) return "s";
    var normal = ch.normalize("NFKC");
    if (Array.from(normal).length === 1 && normal !== ch) return kind(normal);
    return "x";
  }

  function maskRun(chars, total) {
    var keepFrom = total - KEEP_LAST;
    var seen = 0;
    return chars.map(function (ch) {
      var digits = digitsOf(ch);
      if (!digits) return ch;
      var first = seen;
      seen += digits.length;
      if (first >= keepFrom) return ch;
      return Array.from(digits).map(function (d, i) { return first + i < keepFrom ? MASK : d; }).join("");
    }).join("");
  }

  function mask(text) {
    var chars = Array.from(String(text));  // code points: a digit outside the BMP is one character, as in Python
    var kinds = chars.map(kind).join("");
    var out = "";
    var last = 0;
    var run = /d(?:s*d)*/g;
    var match;
    while ((match = run.exec(kinds)) !== null) {
      var start = match.index;
      var end = start + match[0].length;
      var piece = chars.slice(start, end);
      var total = piece.reduce(function (n, ch) { return n + digitsOf(ch).length; }, 0);
      if (total < MIN_DIGITS) continue;
      out += chars.slice(last, start).join("") + maskRun(piece, total);
      last = end;
    }
    return last === 0 ? String(text) : out + chars.slice(last).join("");
  }

  // Domains whose links may be clicked: the agency's own and those named on its registration page.
  var LINK_DOMAINS = ["bpjsketenagakerjaan.go.id", "bpjs.go.id", "cermati.com"];
  var URL_PATTERN = /\b((?:https?:\/\/)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/[^\s)]*)?)/gi;

  /* The https URL to open for `candidate` when its host is an allow-listed domain or below one, else null. */
  function allowedHref(candidate) {
    var href = /^https?:\/\//i.test(candidate) ? candidate : "https://" + candidate;
    var host;
    try { host = new URL(href).hostname.toLowerCase(); } catch (e) { return null; }
    var ok = LINK_DOMAINS.some(function (d) { return host === d || host.slice(-(d.length + 1)) === "." + d; });
    return ok ? href : null;
  }

  /* One line of text as parts: {text} stays text, {text, href} becomes a link. Joined, the texts are the line. */
  function links(line) {
    var parts = [];
    var last = 0;
    line.replace(URL_PATTERN, function (match, url, offset) {
      var trimmed = url.replace(/[.,;:]+$/, "");  // the sentence's full stop is not part of the link
      var href = allowedHref(trimmed);
      if (!href) return match;
      if (offset > last) parts.push({ text: line.slice(last, offset) });
      parts.push({ text: trimmed, href: href });
      last = offset + trimmed.length;
      return match;
    });
    if (last < line.length || parts.length === 0) parts.push({ text: line.slice(last) });
    return parts;
  }

  /* `*bold*` markup (tanya/rendering/markup.py, same rule): a piece of text as parts {text, bold}.
     The asterisks touch the text and are not part of a word: "5*3" and "**" stay as they are. */
  var BOLD = /(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])/g;
  function bold(text) {
    var parts = [];
    var last = 0;
    text.replace(BOLD, function (match, inner, offset) {
      if (offset > last) parts.push({ text: text.slice(last, offset), bold: false });
      parts.push({ text: inner, bold: true });
      last = offset + match.length;
      return match;
    });
    if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), bold: false });
    return parts;
  }

  return { mask: mask, allowedHref: allowedHref, links: links, bold: bold, LINK_DOMAINS: LINK_DOMAINS.slice() };
});
